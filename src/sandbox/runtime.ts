import {EventEmitter} from 'node:events'
import {mkdirSync} from 'node:fs'

import {PodRunner, type PodTimings} from './container.js'
import {toolHomeDir, hostPath} from './paths.js'
import {probeHandler} from './probes.js'
import {killStaleGroup, type OutputSink} from './process.js'
import {freePort, ServiceProxy} from './proxy.js'
import {emptyUsage, podQuotaExceeded, type Usage} from './quota.js'
import type {JobRuntimeView} from './status.js'
import type {JobRecord, LogRecord, PodRecord, Store, WorkloadRecord} from './store.js'

export interface RuntimeOptions extends PodTimings {
  dataDir: string
  now: () => Date
  /** TOOL_TOOLFORGE_API_URL inside jobs. */
  apiUrl: () => string
  /** ttlSecondsAfterFinished of Job objects, in ms. */
  ttlMs: number
  /** Called when a one-off job's Job object is garbage-collected: one-off jobs only exist as that object. */
  onOneOffGone: (tool: string, name: string, created: string) => void
}

const key = (tool: string, name: string): string => `${tool}/${name}`
/** Emitted on Runtime.logEvents when a Job object of this job finishes. */
export const finishedEvent = (tool: string, name: string): string => `${key(tool, name)}#finished`
const SUFFIX_CHARS = 'bcdfghjklmnpqrstvwxz2456789'
export const randomSuffix = (n: number): string => Array.from({length: n}, () => SUFFIX_CHARS[Math.floor(Math.random() * SUFFIX_CHARS.length)]).join('')

// A webservice job without a command gets a stand-in for the image's web server: static files from
// ~/public_html on $PORT (the host has no webservice-runner). So does a published continuous job that
// runs the image's runner, which is what `toolforge webservice TYPE start` sends through the jobs API.
const STATIC_SERVER = `exec "${process.execPath}" -e 'const h=require("http"),f=require("fs"),p=require("path");const r=p.join(process.env.HOME,"public_html");h.createServer((q,s)=>{let u;try{u=decodeURIComponent(q.url.split("?")[0])}catch{u="/"}let t=p.join(r,p.normalize(u));if(!t.startsWith(r)){s.writeHead(403);return s.end()}try{if(f.statSync(t).isDirectory())t=p.join(t,"index.html");const b=f.readFileSync(t);s.writeHead(200);s.end(b)}catch{s.writeHead(404);s.end("Not Found")}}).listen(Number(process.env.PORT),"127.0.0.1")'`

const IMAGE_RUNNER = /^\/usr\/bin\/webservice-runner(\s|$)/

/** Runs jobs as local process trees and keeps the store's view of workloads and pods current. */
export class Runtime {
  readonly logEvents = new EventEmitter()
  protected readonly runners = new Map<number, PodRunner>()
  private readonly hostPorts = new Map<number, number>()
  private readonly proxies = new Map<string, ServiceProxy>()
  private readonly timers = new Map<number, Set<NodeJS.Timeout>>()
  private closed = false

  constructor(readonly store: Store, readonly opts: RuntimeOptions) {
    this.logEvents.setMaxListeners(0)
  }

  protected nowIso(): string {
    return this.opts.now().toISOString()
  }

  protected later(workloadId: number, ms: number, fn: () => void): void {
    const set = this.timers.get(workloadId) ?? new Set()
    this.timers.set(workloadId, set)
    const t = setTimeout(() => {
      set.delete(t)
      if (!this.closed) fn()
    }, ms)
    set.add(t)
  }

  private cancelTimers(workloadId: number): void {
    for (const t of this.timers.get(workloadId) ?? []) clearTimeout(t)
    this.timers.delete(workloadId)
  }

  /** Crash recovery: processes of a previous sandbox process are killed, their pods recorded as failed. */
  recover(): void {
    const now = this.nowIso()
    for (const pod of this.store.unfinishedPods()) {
      if (pod.pid !== null) killStaleGroup(pod.pid, pod.pidStart)
      this.store.updatePod(pod.id, {phase: 'Failed', finished: now, reason: 'Error', pid: null,
        message: 'The sandbox stopped while this pod was running'})
    }
    for (const w of this.store.liveWorkloads()) {
      if (w.kind === 'deployment') this.store.markWorkloadGone(w.id)
    }
  }

  /** Starts what storage says should run (after recover()). */
  resume(): void {
    for (const job of this.store.listJobs()) {
      if (job.jobType === 'continuous' || job.jobType === 'webservice') void this.startDeployment(job)
    }
    for (const w of this.store.liveWorkloads()) {
      if (w.kind !== 'job') continue
      const job = this.store.getJob(w.tool, w.job)
      if (w.finished) this.expireLater(w, job)
      else if (job && job.created === w.jobCreated) this.nextAttempt(job, w)
      else this.store.markWorkloadGone(w.id)
    }
  }

  home(tool: string): string {
    const home = toolHomeDir(this.opts.dataDir, tool)
    mkdirSync(home, {recursive: true})
    return home
  }

  private env(job: JobRecord, port: number | undefined): Record<string, string> {
    const home = this.home(job.tool)
    const env: Record<string, string> = {PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', LANG: process.env.LANG ?? 'C.UTF-8'}
    for (const {name, value} of this.store.listEnvvars(job.tool)) env[name] = value
    Object.assign(env, {HOME: home, TOOL_DATA_DIR: home, TOOL_TOOLFORGE_API_URL: this.opts.apiUrl()})
    if (port !== undefined) env.PORT = String(port)
    return env
  }

  private sink(job: JobRecord, pod: PodRecord, path: unknown): OutputSink {
    if (job.resolved.filelog && typeof path === 'string') return {file: {podPath: path, host: hostPath(this.opts.dataDir, job.tool, path), home: this.home(job.tool)}}
    return {
      lines: (message) => {
        const line = this.store.appendLog(job.tool, job.name, {pod: pod.name, container: 'job', datetime: `${this.nowIso().slice(0, 19)}+00:00`, message})
        this.logEvents.emit(key(job.tool, job.name), line satisfies LogRecord)
      },
    }
  }

  protected async newPod(job: JobRecord, workload: WorkloadRecord, name: string, replica: number, onTerminated: (pod: PodRecord) => void): Promise<PodRunner> {
    const pod = this.store.createPod({workloadId: workload.id, tool: job.tool, job: job.name, name, replica, created: this.nowIso()})
    const r = job.resolved
    const port = typeof r.port === 'number' ? await freePort() : undefined
    if (port !== undefined) this.hostPorts.set(pod.id, port)
    const continuous = workload.kind === 'deployment'
    const health = r.health_check as Parameters<typeof probeHandler>[0]
    const runner = new PodRunner(this.store, pod, {
      command: (r.cmd === '' && job.jobType === 'webservice') || IMAGE_RUNNER.test(String(r.cmd)) ? STATIC_SERVER : String(r.cmd),
      cwd: this.home(job.tool),
      env: () => this.env(job, port),
      stdout: this.sink(job, pod, r.filelog_stdout),
      stderr: this.sink(job, pod, r.filelog_stderr),
      restartAlways: continuous,
      probe: continuous ? probeHandler(health, port, String(r.port_protocol ?? 'tcp')) : undefined,
      hostPort: port,
    }, this.opts, this.opts.now, onTerminated)
    this.runners.set(pod.id, runner)
    this.admit(job, runner)
    return runner
  }

  /** Starts the pod if the tool's ResourceQuota allows it; otherwise it stays Pending and is retried. */
  private admit(job: JobRecord, runner: PodRunner): boolean {
    if (this.closed || runner.running) return runner.running
    const over = podQuotaExceeded(this.usage(job.tool, runner.id), job.runtime.resources)
    if (over.length > 0) {
      const types = over.filter((t) => t !== 'pods')
      const message = `Unable to start, out of quota for ${(types.length > 0 ? types : ['pods']).join(', ')}`
      this.store.updatePod(runner.id, {phase: 'Pending', reason: 'OutOfQuota', message})
      return false
    }
    runner.start()
    return true
  }

  /** Retries pods held back by the quota; called on every scheduler tick. */
  reconcile(): void {
    for (const runner of this.runners.values()) {
      const pod = this.store.pod(runner.id)
      if (pod?.phase !== 'Pending' || runner.running) continue
      const job = this.store.getJob(pod.tool, pod.job)
      if (job) this.admit(job, runner)
    }
  }

  usage(tool: string, excludePod?: number): Usage {
    const usage = emptyUsage()
    for (const job of this.store.listJobs(tool)) {
      if (job.jobType === 'scheduled') usage.cronjobs++
      if (job.jobType === 'continuous' || job.jobType === 'webservice') usage.deployments++
      if (typeof job.resolved.port === 'number') usage.services++
    }
    for (const w of this.store.liveWorkloads(tool)) if (w.kind === 'job') usage.jobs++
    for (const runner of this.runners.values()) {
      if (runner.id === excludePod || runner.pod.tool !== tool) continue
      const pod = this.store.pod(runner.id)
      if (pod?.phase !== 'Running') continue
      const res = this.store.getJob(tool, runner.pod.job)?.runtime.resources
      usage.pods++
      if (!res) continue
      usage.requestsCpu += res.requestsCpu
      usage.requestsMemory += res.requestsMemory
      usage.limitsCpu += res.limitsCpu
      usage.limitsMemory += res.limitsMemory
    }
    return usage
  }

  view(tool: string, name: string): JobRuntimeView {
    return {
      workloads: this.store.liveWorkloads(tool, name).map((workload) => ({workload, pods: this.store.podsOfWorkload(workload.id)})),
      live: (podId) => {
        const runner = this.runners.get(podId)
        return runner ? {ready: runner.ready, backoff: runner.backoff} : undefined
      },
    }
  }

  publishUrl(tool: string, name: string): string | undefined {
    const proxy = this.proxies.get(key(tool, name))
    return proxy ? `http://127.0.0.1:${proxy.port}` : undefined
  }

  // --- Job objects (one-off jobs and scheduled runs) ---------------------------------------------

  /** Creates a Job object for the job and runs its first pod. */
  startJob(job: JobRecord, name: string, manual: boolean): WorkloadRecord {
    const workload = this.store.createWorkload({tool: job.tool, job: job.name, jobCreated: job.created, name, kind: 'job', manual, created: this.nowIso()})
    const timeout = Number(job.resolved.timeout ?? 0)
    if (timeout > 0) this.later(workload.id, timeout * 1000, () => this.deadlineExceeded(workload.id))
    this.nextAttempt(job, workload)
    return workload
  }

  private nextAttempt(job: JobRecord, workload: WorkloadRecord): void {
    const pods = this.store.podsOfWorkload(workload.id)
    if (pods.some((p) => p.phase === 'Succeeded')) return this.finishJob(job, workload.id, 'succeeded', 'Completed')
    const failures = pods.filter((p) => p.phase === 'Failed').length
    if (failures > Number(job.resolved.retry ?? 0)) return this.finishJob(job, workload.id, 'failed', 'BackoffLimitExceeded')
    const run = (): void => {
      if (this.store.workload(workload.id)?.finished) return
      void this.newPod(job, workload, `${workload.name}-${randomSuffix(5)}`, 0, (pod) => {
        this.runners.delete(pod.id)
        this.nextAttempt(job, this.store.workload(workload.id)!)
      })
    }
    // The Job controller backs off between failed pods: 10s, 20s, 40s… capped at 6 minutes.
    if (failures === 0) run()
    else this.later(workload.id, Math.min(this.opts.backoffBaseMs * 2 ** (failures - 1), this.opts.backoffCapMs), run)
  }

  private deadlineExceeded(workloadId: number): void {
    const workload = this.store.workload(workloadId)
    if (!workload || workload.finished) return
    for (const [id, runner] of this.runners) {
      if (runner.pod.workloadId !== workloadId) continue
      // Kept in the map until it is dead, so close() still waits for it.
      void runner.kill('DeadlineExceeded').then(() => this.runners.delete(id))
    }
    const job = this.store.getJob(workload.tool, workload.job)
    this.finishJob(job, workloadId, 'failed', 'DeadlineExceeded')
  }

  private finishJob(job: JobRecord | undefined, workloadId: number, outcome: 'succeeded' | 'failed', reason: string): void {
    this.cancelTimers(workloadId)
    this.store.finishWorkload(workloadId, outcome, reason, this.nowIso())
    const finished = this.store.workload(workloadId)
    // Followed logs of a one-off job end with it, as `kubectl logs -f` does with its pod.
    if (finished) this.logEvents.emit(finishedEvent(finished.tool, finished.job))
    for (const [id, runner] of this.runners) if (runner.pod.workloadId === workloadId && !runner.running) this.runners.delete(id)
    this.expireLater(this.store.workload(workloadId)!, job)
  }

  private expireLater(workload: WorkloadRecord, job: JobRecord | undefined): void {
    const left = Date.parse(workload.finished ?? this.nowIso()) + this.opts.ttlMs - this.opts.now().getTime()
    this.later(workload.id, Math.max(0, left), () => {
      this.store.markWorkloadGone(workload.id)
      if (job?.jobType === 'one-off') this.opts.onOneOffGone(job.tool, job.name, workload.jobCreated)
    })
  }

  // --- Deployments (continuous and webservice jobs) ---------------------------------------------

  async startDeployment(job: JobRecord): Promise<void> {
    const workload = this.store.createWorkload({tool: job.tool, job: job.name, jobCreated: job.created, name: job.name, kind: 'deployment', manual: false, created: this.nowIso()})
    const hash = randomSuffix(10)
    const replicas = Math.max(0, Number(job.resolved.replicas ?? 1))
    for (let i = 0; i < replicas; i++) await this.newPod(job, workload, `${job.name}-${hash}-${randomSuffix(5)}`, i, () => undefined)
    if (typeof job.resolved.port === 'number' && job.resolved.port_protocol !== 'udp' && !this.proxies.has(key(job.tool, job.name))) {
      const proxy = new ServiceProxy(() => this.readyPorts(job.tool, job.name))
      this.proxies.set(key(job.tool, job.name), proxy)
      const port = await proxy.listen([job.servicePort, job.resolved.port as number])
      if (port !== job.servicePort) this.store.setJobField(job.tool, job.name, 'service_port', port)
    }
  }

  private readyPorts(tool: string, name: string): number[] {
    const ports: number[] = []
    for (const runner of this.runners.values()) {
      const port = this.hostPorts.get(runner.id)
      if (runner.pod.tool === tool && runner.pod.job === name && runner.ready && port !== undefined) ports.push(port)
    }
    return ports
  }

  /** Deletes the job's runtime objects: every pod is stopped (process trees included) before it returns. */
  async stopJob(tool: string, name: string, opts: {keepService?: boolean} = {}): Promise<void> {
    const stops: Array<Promise<void>> = []
    for (const workload of this.store.liveWorkloads(tool, name)) {
      this.cancelTimers(workload.id)
      for (const [id, runner] of this.runners) {
        if (runner.pod.workloadId !== workload.id) continue
        this.runners.delete(id)
        this.hostPorts.delete(id)
        stops.push(runner.stop())
      }
      this.store.markWorkloadGone(workload.id)
    }
    await Promise.all(stops)
    const proxy = this.proxies.get(key(tool, name))
    if (proxy && !opts.keepService) {
      this.proxies.delete(key(tool, name))
      await proxy.close()
    }
  }

  async close(): Promise<void> {
    this.closed = true
    for (const id of [...this.timers.keys()]) this.cancelTimers(id)
    await Promise.all([...this.runners.values()].map((r) => r.stop()))
    this.runners.clear()
    await Promise.all([...this.proxies.values()].map((p) => p.close()))
    this.proxies.clear()
  }
}
