// start / stop / restart / status / logs over either backend, with upstream's messages and streams
// (webservice.md §1.5, §1.6). The manifest is written here, the same way for both backends.

import {EXIT_SERVER_ERROR, ToolforgeError, UserError} from '../api/errors.js'
import {type ActionIO, type Backend, formatLogLine, type LogLine, type State, type Status, waitFor} from './backend.js'
import {publicUrl} from './config.js'
import type {Manifest} from './manifest.js'
import {preflight} from './preflight.js'
import type {Resolved} from './resolve.js'

export interface ActionContext {
  backend: Backend
  resolved: Resolved
  manifest: Manifest
  io: ActionIO
  home: string
  /** How long start/restart wait for the webservice to run. */
  timeoutSeconds: number
  /** `toolforge webservice` or `webservice`, for hints. */
  prog: string
  intervalMs?: number
}

export interface ActionResult {
  action: string
  backend: string
  state: State
  type?: string
  url?: string
}

function remember(ctx: ActionContext): void {
  const {resolved} = ctx
  // Saved on every start and restart, so changed resources are remembered too (Q-WS-04 fixed).
  ctx.manifest.setWeb({
    backend: resolved.backend,
    web: resolved.typeName,
    // Stored for every type, as upstream does, so upstream reads back the same defaults (Q-WS-14 kept).
    buildserviceImage: resolved.buildserviceImage,
    cpu: resolved.cpu,
    memory: resolved.mem,
    replicas: resolved.replicas,
    extraArgs: resolved.extraArgs,
    mount: resolved.mount,
    healthCheckPath: resolved.healthCheckPath,
  })
  ctx.manifest.save()
}

function notStarted(ctx: ActionContext): ToolforgeError {
  // A timeout, like `jobs wait`'s: exit 2 (README exit codes), without the "report this issue" line.
  return new ToolforgeError(`Your webservice did not start within ${ctx.timeoutSeconds} seconds.`, {
    exitCode: EXIT_SERVER_ERROR,
    details: `It may still be starting, or be failing. Check with:\n  ${ctx.prog} status\n  ${ctx.prog} logs`,
  })
}

async function create(ctx: ActionContext, prompt: string): Promise<ActionResult> {
  const {backend, resolved, io} = ctx
  preflight(resolved.type?.wstype, ctx.home)
  await backend.start(resolved)
  let last: Status | undefined
  const running = async () => {
    last = await backend.status()
    return last.state === 'running'
  }

  const ok = await waitFor(running, {prompt, timeoutSeconds: ctx.timeoutSeconds, intervalMs: ctx.intervalMs, io})
  remember(ctx)
  // Upstream exited 0 even when nothing came up (Q-WS-07); a script deserves to know.
  if (!ok) throw notStarted(ctx)
  const url = last?.url ?? publicUrl(resolved.tool, resolved.config)
  io.result(`Your webservice is available at ${url}`)
  return {action: resolved.action, backend: backend.name, state: 'running', type: resolved.typeName, url}
}

export async function start(ctx: ActionContext): Promise<ActionResult> {
  const {state} = await ctx.backend.status()
  // "job" in a webservice message is upstream's wording, kept for scripts that match it (Q-WS-17).
  if (state !== 'stopped') throw new UserError('Your job is already running')
  return create(ctx, 'Starting webservice')
}

export async function stop(ctx: ActionContext): Promise<ActionResult> {
  const {backend, io, manifest} = ctx
  const {state} = await backend.status()
  const result: ActionResult = {action: 'stop', backend: backend.name, state: 'stopped'}
  if (state === 'stopped') {
    io.result('Your webservice is not running')
  } else {
    await backend.stop()
    const gone = await waitFor(async () => (await backend.status()).state === 'stopped', {
      prompt: 'Stopping webservice',
      timeoutSeconds: ctx.timeoutSeconds,
      intervalMs: ctx.intervalMs,
      io,
    })
    if (!gone) io.warn('Everything was asked to stop, but some pods are still shutting down.')
  }
  if (manifest.values.web !== undefined || manifest.values.backend !== undefined) {
    manifest.clearWeb()
    manifest.save()
  }
  return result
}

export async function restart(ctx: ActionContext): Promise<ActionResult> {
  const {backend, resolved, io} = ctx
  const {state} = await backend.status()
  if (state === 'stopped') return create(ctx, 'Your job is not running, starting')
  // A webservice stuck in PENDING is restarted too: replacing it is how a broken one gets fixed.
  io.result('Restarting...')
  const check = await backend.restart(resolved)
  let last: Status | undefined
  const ready = async () => {
    last = await check()
    return last.state === 'running'
  }
  const ok = await waitFor(ready, {timeoutSeconds: ctx.timeoutSeconds, intervalMs: ctx.intervalMs, io})
  remember(ctx)
  if (!ok) {
    // Q-WS-05: upstream's "taking quite while" typo fixed.
    throw new ToolforgeError(
      `Your webservice is taking quite a while to restart. If it isn't up shortly, run a '${ctx.prog} stop' and the start command used to run this webservice to begin with.`,
      {exitCode: EXIT_SERVER_ERROR},
    )
  }
  // The server's URL when it gives one (a local sandbox is not on the public domain), as for start.
  const url = last?.url ?? publicUrl(resolved.tool, resolved.config)
  io.result(`Your webservice is available at ${url}`)
  return {action: 'restart', backend: backend.name, state: 'running', type: resolved.typeName, url}
}

export async function status(ctx: Pick<ActionContext, 'backend' | 'resolved' | 'io'>): Promise<ActionResult> {
  const {backend, resolved, io} = ctx
  const current = await backend.status()
  if (current.state === 'stopped') {
    io.result('Your webservice is not running')
    return {action: 'status', backend: backend.name, state: 'stopped'}
  }
  // What is deployed, when the backend can tell, rather than what the options resolve to (Q-WS-09 fixed).
  // A PENDING webservice still reads "is running": scripts match that text (Q-WS-08 kept); --json tells.
  const type = current.type ?? resolved.typeName
  const url = current.url ?? publicUrl(resolved.tool, resolved.config)
  io.result(`Your webservice of type ${type} is running on backend ${backend.name}`)
  io.result(`Public URL: ${url}`)
  return {action: 'status', backend: backend.name, state: current.state, type, url}
}

export async function logs(
  ctx: Pick<ActionContext, 'backend' | 'io'>,
  opts: {follow: boolean; last?: number; json: boolean; write: (line: string) => void},
): Promise<number> {
  let count = 0
  await ctx.backend.logs({follow: opts.follow, last: opts.last}, (entry: LogLine) => {
    count++
    opts.write(opts.json ? JSON.stringify(entry) : formatLogLine(entry))
  })
  if (count === 0) ctx.io.notice('No logs found!')
  return count
}
