import type {Readable} from 'node:stream'

import {ServerError} from '../api/errors.js'
import type {JobsClient} from '../api/jobs.js'
import {type LogRecord, LogStreamCutOff, readLogRecords, type ReadLogOptions} from './logs.js'

// `jobs logs --follow` outlives connections: a gateway restart or a dropped TCP connection cuts the stream
// off, and a bot watching its own logs should not die of it. After a cut-off we ask again for the last
// few lines and skip the ones already printed. A stream the server ends on its own (the job finished)
// is the end, not a cut-off.

/** Lines asked for when reconnecting: enough to find where we were, few enough to be quick. */
export const RECONNECT_LINES = 20
/** Records remembered to recognise the replayed ones; must exceed RECONNECT_LINES. */
const SEEN_WINDOW = 200
export const MAX_RECONNECTS = 5

export interface FollowOptions extends ReadLogOptions {
  client: Pick<JobsClient, 'logs'>
  name: string
  /** --last for the first request. */
  lines?: number
  /** Told before each reconnect, for a line on stderr. */
  onReconnect(message: string): void
  /** Each response stream as it opens, so Ctrl-C can close it. */
  onStream?(stream: Readable): void
  /** Ctrl-C: stop quietly, also during a back-off. */
  signal?: AbortSignal
  maxReconnects?: number
  baseDelayMs?: number
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? ''
}

export function recordKey(record: LogRecord): string {
  return [record.datetime, record.pod, record.container, record.message].map(text).join('\u0000')
}

/** A bounded memory of the most recent record keys. */
class SeenRecords {
  private readonly order: string[] = []
  private readonly counts = new Map<string, number>()

  add(key: string): void {
    this.order.push(key)
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
    if (this.order.length <= SEEN_WINDOW) return
    const dropped = this.order.shift()!
    const left = this.counts.get(dropped)! - 1
    if (left === 0) this.counts.delete(dropped)
    else this.counts.set(dropped, left)
  }

  has(key: string): boolean {
    return this.counts.has(key)
  }

  get size(): number {
    return this.order.length
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve()
      return
    }

    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }

    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, {once: true})
  })
}

/** Only trouble on the way (5xx, connection errors, cut-offs) is worth another try; a 404 is an answer. */
function worthRetrying(error: unknown): boolean {
  return error instanceof ServerError
}

export async function* followLogRecords(opts: FollowOptions): AsyncGenerator<LogRecord> {
  const maxReconnects = opts.maxReconnects ?? MAX_RECONNECTS
  const baseDelayMs = opts.baseDelayMs ?? 1000
  const seen = new SeenRecords()
  let lines = opts.lines
  let reconnects = 0
  let connected = false
  for (;;) {
    let failure: unknown
    let stream: Readable | undefined
    try {
      stream = await opts.client.logs(opts.name, {follow: true, lines})
    } catch (error) {
      // The first request fails like any other command would; only a follow that was running reconnects.
      if (!connected || !worthRetrying(error)) throw error
      failure = error
    }

    if (stream) {
      connected = true
      opts.onStream?.(stream)
      // After a reconnect the server repeats the last lines; skip them until the first new one.
      let catchingUp = seen.size > 0
      try {
        for await (const record of readLogRecords(stream, opts)) {
          const key = recordKey(record)
          if (catchingUp && seen.has(key)) continue
          catchingUp = false
          seen.add(key)
          reconnects = 0
          yield record
        }

        return
      } catch (error) {
        if (opts.signal?.aborted) return
        if (!(error instanceof LogStreamCutOff)) throw error
        failure = error
      } finally {
        stream.destroy()
      }
    }

    if (opts.signal?.aborted) return
    reconnects++
    if (reconnects > maxReconnects) throw failure
    const delay = baseDelayMs * 2 ** (reconnects - 1) * (1 + Math.random() * 0.2)
    const reason = failure instanceof Error ? failure.message : String(failure)
    opts.onReconnect(`${reason}; reconnecting in ${(delay / 1000).toFixed(1)} s (attempt ${reconnects} of ${maxReconnects})`)
    await sleep(delay, opts.signal)
    if (opts.signal?.aborted) return
    lines = RECONNECT_LINES
  }
}
