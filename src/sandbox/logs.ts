import type {IncomingMessage, ServerResponse} from 'node:http'

import {ApiError, notFound} from './errors.js'
import {finishedEvent, type Runtime} from './runtime.js'
import type {LogRecord, Store} from './store.js'

export const DEFAULT_LOG_LINES = 500
export const MAX_LOG_LINES = 5000

const ndjson = (l: LogRecord): string => `${JSON.stringify({pod: l.pod, container: l.container, datetime: l.datetime, message: l.message})}\n`

function parseLines(url: URL): number {
  const raw = url.searchParams.get('lines')
  if (raw === null) return DEFAULT_LOG_LINES
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw new ApiError(400, ['Unable to parse lines as integer'])
  const lines = Number.parseInt(raw, 10)
  if (lines > MAX_LOG_LINES) throw new ApiError(400, [`Requested number of ${lines} lines is over limit of ${MAX_LOG_LINES}`])
  return Math.max(0, lines)
}

/**
 * `GET …/jobs/<name>/logs`: NDJSON lines, the last `lines` of them; with follow=true the response stays
 * open and new lines are streamed until the client goes away or the sandbox closes.
 */
export function serveLogs(req: IncomingMessage, res: ServerResponse, ctx: {store: Store; runtime: Runtime; tool: string; name: string; url: URL; follow: boolean; closing: Set<ServerResponse>}): void {
  const {store, runtime, tool, name, url} = ctx
  const job = store.getJob(tool, name)
  const lines = parseLines(url)
  const tail = store.tailLogs(tool, name, lines)
  // Logs of a one-off job stay readable after its Job object is gone (FR-JOBS-05).
  if (!job && tail.length === 0) throw notFound(name)
  // The older, clearer message for file-logging jobs rather than the 2026 "no logs available" (Q-JOBS-18).
  if (job?.resolved.filelog) throw new ApiError(404, [`Job '${name}' has file logging enabled, which is incompatible with the logs command`])
  if (!ctx.follow && tail.length === 0) throw new ApiError(404, [`Job '${name}' does not have any logs available`])

  res.writeHead(200, {'Content-Type': 'text/plain; charset=utf8', 'X-Accel-Buffering': 'no'})
  for (const line of tail) res.write(ndjson(line))
  // A one-off job that has finished (or is gone) writes no more: following ends, as with a pod that exited.
  const oneOffDone = (): boolean => !job || (job.jobType === 'one-off' && store.liveWorkloads(tool, name).every((w) => w.finished))
  if (!ctx.follow || oneOffDone()) {
    res.end()
    return
  }

  let last = tail.at(-1)?.id ?? (store.tailLogs(tool, name, 1)[0]?.id ?? 0)
  const event = `${tool}/${name}`
  const onLine = (line: LogRecord): void => {
    if (line.id <= last) return
    last = line.id
    res.write(ndjson(line))
  }
  const onFinished = (): void => {
    if (oneOffDone()) res.end()
  }
  runtime.logEvents.on(event, onLine)
  runtime.logEvents.on(finishedEvent(tool, name), onFinished)
  ctx.closing.add(res)
  const done = (): void => {
    runtime.logEvents.off(event, onLine)
    runtime.logEvents.off(finishedEvent(tool, name), onFinished)
    ctx.closing.delete(res)
  }
  req.on('close', done)
  res.on('close', done)
}
