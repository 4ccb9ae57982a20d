// `webservice shell`: what upstream did with `kubectl run --attach --stdin --tty --rm` (webservice.md §1.5),
// done through the API: create the `shell-<unix time>` pod, wait for it, attach, and always remove it.
// The exit code is the command's, as kubectl's was.

import type {Readable, Writable} from 'node:stream'

import {InterruptedError, ServerError, UserError} from '../api/errors.js'
import {isStatus, type KubernetesClient} from '../api/kubernetes.js'
import {buildShellPod} from '../kube/webservice.js'
import {attachStream, type AttachResult} from './attach.js'
import {enforcePolicy} from './kube-backend.js'
import type {Resolved} from './resolve.js'
import {kubeSpec} from './spec.js'

interface PodState {
  status?: {
    phase?: string
    containerStatuses?: Array<{state?: {waiting?: {reason?: string; message?: string}; terminated?: {exitCode?: number}}}>
  }
}

export interface ShellOptions {
  client: KubernetesClient
  resolved: Resolved
  uid: number
  /** A person at a terminal: allocate a tty and relay raw keystrokes; otherwise plain pipes (scriptable). */
  tty: boolean
  stdin: Readable
  stdout: Writable
  stderr: Writable
  size?: () => {cols: number; rows: number}
  onResize?: (listener: () => void) => () => void
  signal?: AbortSignal
  now?: Date
  /** kubectl's `--pod-running-timeout=1m`. */
  startTimeoutSeconds?: number
  intervalMs?: number
  /** Where to tell about a failed clean-up. */
  warn: (message: string) => void
}

// Waiting reasons that will not resolve by themselves: fail now instead of after the timeout.
const HOPELESS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError'])

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function waitForPod(opts: ShellOptions, name: string): Promise<string> {
  const deadline = Date.now() + (opts.startTimeoutSeconds ?? 60) * 1000
  for (;;) {
    if (opts.signal?.aborted) throw new InterruptedError()
    const pod = await opts.client.get<PodState & {kind?: string}>('pods', name)
    const phase = pod?.status?.phase
    if (phase === 'Running' || phase === 'Succeeded' || phase === 'Failed') return phase
    const waiting = pod?.status?.containerStatuses?.[0]?.state?.waiting
    if (waiting?.reason && HOPELESS.has(waiting.reason)) {
      throw new UserError(`The shell pod cannot start: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`)
    }
    if (Date.now() >= deadline) throw new ServerError(`Timed out waiting for the shell pod ${name} to start`)
    await sleep(opts.intervalMs ?? 1000)
  }
}

/** The container's exit code once the kubelet reports it (attach, unlike exec, does not say). */
async function exitCodeFromPod(opts: ShellOptions, name: string): Promise<number> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const pod = await opts.client.get<PodState & {kind?: string}>('pods', name)
    const code = pod?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode
    if (typeof code === 'number') return code
    if (!pod || Date.now() >= deadline) throw new ServerError(`Unable to find out how the shell in pod ${name} exited`)
    await sleep(opts.intervalMs ?? 1000)
  }
}

async function printLogs(opts: ShellOptions, name: string, container: string): Promise<void> {
  const stream = await opts.client.podLog(name, {container, timestamps: false})
  for await (const chunk of stream) opts.stdout.write(chunk as Buffer)
}

/** Run the shell; resolves to the command's exit code. */
export async function runShell(opts: ShellOptions): Promise<number> {
  const {client, resolved, uid} = opts
  const pod = buildShellPod(kubeSpec(resolved), {uid, now: opts.now})
  const container = pod.spec.containers[0]
  container.tty = opts.tty
  // Close the process's stdin when our session ends, like kubectl run without --leave-stdin-open.
  container.stdinOnce = true
  enforcePolicy([pod], resolved.tool, uid)
  const name = pod.metadata.name

  await client.create(pod)
  try {
    const phase = await waitForPod(opts, name)
    let result: AttachResult = {}
    let attached = false
    if (phase === 'Running') {
      try {
        const url = client.streamUrl(name, 'attach', {container: container.name, stdin: true, stdout: true, stderr: !opts.tty, tty: opts.tty})
        result = await attachStream(url, client.websocketOptions(), {
          stdin: opts.stdin,
          stdout: opts.stdout,
          stderr: opts.stderr,
          size: opts.tty ? opts.size : undefined,
          onResize: opts.tty ? opts.onResize : undefined,
          signal: opts.signal,
        })
        attached = true
      } catch (error) {
        // The command may finish between "Running" and the attach; its output is then in the log.
        if (!isStatus(error, 400)) throw error
      }
    }
    if (!attached) await printLogs(opts, name, container.name)
    if (result.exitCode !== undefined) return result.exitCode
    if (result.message) opts.stderr.write(`${result.message}\n`)
    return await exitCodeFromPod(opts, name)
  } finally {
    try {
      await client.delete('pods', name)
    } catch (error) {
      opts.warn(`Unable to delete the shell pod ${name}: ${(error as Error).message}. Delete it with: kubectl delete pod ${name}`)
    }
  }
}
