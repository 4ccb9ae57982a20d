import {LIVENESS_PROBE, type ProbeHandler, runProbe, STARTUP_PROBE} from './probes.js'
import {type OutputSink, type ProcessHandle, spawnContainer} from './process.js'
import type {PodRecord, Store} from './store.js'

export interface ContainerSpec {
  command: string
  cwd: string
  /** Computed at every (re)start, as admission injects envvars when a pod is created. */
  env: () => Record<string, string>
  stdout: OutputSink
  stderr: OutputSink
  /** Deployment pods restart their container (restartPolicy Always); Job pods run it once. */
  restartAlways: boolean
  probe?: ProbeHandler
  /** Host port the container listens on ($PORT), for http/tcp probes. */
  hostPort?: number
}

export interface PodTimings {
  graceMs: number
  backoffBaseMs: number
  backoffCapMs: number
}

// Kubelet forgets a container's crash back-off after it has run this long without failing.
const BACKOFF_RESET_MS = 10 * 60_000

/** One pod: its container process, restarts with back-off, and probes. State goes to the store. */
export class PodRunner {
  ready = false
  backoff = false
  private proc?: ProcessHandle
  private stopping = false
  private timers = new Set<NodeJS.Timeout>()
  private crashes = 0
  private startedAt = 0
  private done?: Promise<void>
  /** Why the last start could not run the command at all. */
  private launchError?: string

  constructor(
    private readonly store: Store,
    readonly pod: PodRecord,
    private readonly spec: ContainerSpec,
    private readonly timings: PodTimings,
    private readonly now: () => Date,
    /** Called when a restartPolicy=Never pod has terminated. */
    private readonly onTerminated: (pod: PodRecord) => void,
  ) {}

  get running(): boolean {
    return this.proc !== undefined
  }

  get id(): number {
    return this.pod.id
  }

  start(): void {
    if (this.stopping || this.proc) return
    this.backoff = false
    this.ready = this.spec.probe === undefined
    const started = this.now().toISOString()
    this.startedAt = Date.now()
    this.launchError = undefined
    let proc: ProcessHandle
    try {
      proc = spawnContainer({command: this.spec.command, cwd: this.spec.cwd, env: this.spec.env(), stdout: this.spec.stdout, stderr: this.spec.stderr})
    } catch (error) {
      // As a container whose shell cannot open its log file (`exec 1>>file`): it fails at once, with 2.
      this.launchError = (error as Error).message
      this.store.updatePod(this.pod.id, {phase: 'Running', started, finished: null, exitCode: null, reason: null, message: this.launchError, pid: null, pidStart: null})
      this.done = Promise.resolve().then(() => this.exited(2))
      return
    }
    this.proc = proc
    this.store.updatePod(this.pod.id, {phase: 'Running', started, finished: null, exitCode: null, reason: null, message: null, pid: proc.pid, pidStart: proc.pidStart})
    this.done = proc.exited.then((exit) => this.exited(exit.code))
    if (this.spec.probe) this.schedule(() => void this.probeLoop('startup', 0, 0), STARTUP_PROBE.periodMs)
  }

  private schedule(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t)
      fn()
    }, ms)
    this.timers.add(t)
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }

  private async probeLoop(kind: 'startup' | 'liveness', failures: number, generation: number): Promise<void> {
    const proc = this.proc
    if (!proc || this.stopping || !this.spec.probe) return
    const timing = kind === 'startup' ? STARTUP_PROBE : LIVENESS_PROBE
    const result = await runProbe(this.spec.probe, {port: this.spec.hostPort, env: this.spec.env(), cwd: this.spec.cwd, timeoutMs: timing.timeoutMs})
    if (this.proc !== proc || this.stopping) return
    if (result.ok) {
      if (kind === 'startup' || !this.ready) {
        this.ready = true
        this.store.updatePod(this.pod.id, {message: null})
      }
      this.schedule(() => void this.probeLoop('liveness', 0, generation + 1), LIVENESS_PROBE.periodMs)
      return
    }
    const label = kind === 'startup' ? 'Startup' : 'Liveness'
    this.store.updatePod(this.pod.id, {message: `${label} probe failed: ${result.message}`})
    if (kind === 'liveness') this.ready = false
    if (failures + 1 >= timing.failureThreshold) {
      // The kubelet kills a container that keeps failing its probes; the restart policy takes over.
      proc.signal('SIGKILL')
      return
    }
    this.schedule(() => void this.probeLoop(kind, failures + 1, generation), timing.periodMs)
  }

  private exited(code: number): void {
    this.clearTimers()
    this.proc = undefined
    this.ready = false
    const finished = this.now().toISOString()
    if (this.stopping) return
    if (!this.spec.restartAlways) {
      this.store.updatePod(this.pod.id, {phase: code === 0 ? 'Succeeded' : 'Failed', finished, exitCode: code, reason: code === 0 ? 'Completed' : 'Error', pid: null})
      this.onTerminated(this.store.pod(this.pod.id)!)
      return
    }
    if (Date.now() - this.startedAt > BACKOFF_RESET_MS) this.crashes = 0
    const delay = Math.min(this.timings.backoffBaseMs * 2 ** this.crashes, this.timings.backoffCapMs)
    this.crashes++
    const restarts = (this.store.pod(this.pod.id)?.restarts ?? 0) + 1
    const previous = this.store.pod(this.pod.id)?.message
    this.store.updatePod(this.pod.id, {restarts, finished, exitCode: code, reason: 'CrashLoopBackOff', pid: null,
      message: this.launchError ?? (previous?.includes('probe failed') ? previous : null)})
    this.backoff = true
    this.schedule(() => this.start(), delay)
  }

  /** Stops the container for good (pod deletion). */
  async stop(): Promise<void> {
    this.stopping = true
    this.clearTimers()
    const proc = this.proc
    if (proc) await proc.stop(this.timings.graceMs)
    await this.done
    this.proc = undefined
    this.ready = false
  }

  /** Kills the container now, as a deadline would; the Job pod then counts as failed. */
  async kill(reason: string): Promise<void> {
    const proc = this.proc
    if (!proc) return
    this.stopping = true
    this.clearTimers()
    const exit = await proc.stop(this.timings.graceMs)
    this.store.updatePod(this.pod.id, {phase: 'Failed', finished: this.now().toISOString(), exitCode: exit.code, reason, pid: null})
  }
}
