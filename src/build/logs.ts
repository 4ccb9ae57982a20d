import {once} from 'node:events'
import type {Readable, Writable} from 'node:stream'
import {ServerError} from '../api/errors.js'
import {streamLines} from '../api/ndjson.js'

export const WAITING_FOR_LOGS = 'Waiting for the logs... if the build just started this might take a minute'

/**
 * One record of the builds API log stream: `{"line": …}`, or `{"message": …}` when the server failed
 * after the 200 status was already sent (the spec's InternalError), which we surface as an error.
 */
export function parseLogRecord(text: string): string {
  let record: unknown
  try {
    record = JSON.parse(text)
  } catch {
    // A line that is not JSON is still log output: show it rather than lose it.
    return text
  }

  if (record && typeof record === 'object') {
    const {line, message} = record as {line?: unknown; message?: unknown}
    if (typeof message === 'string') throw new ServerError(message)
    if (typeof line === 'string') return line
  }

  return text
}

/** Yields the log lines of the builds API's NDJSON stream. */
export async function* logLines(stream: Readable): AsyncGenerator<string> {
  for await (const {text} of streamLines(stream)) yield parseLogRecord(text)
}

/**
 * Copies the log lines to `out`, respecting back-pressure; calls `onFirstLine` once (to stop a spinner).
 * `format` turns each line into what is written (e.g. a JSON record for --json).
 */
export async function pipeLogs(stream: Readable, out: Writable, onFirstLine?: () => void, format: (line: string) => string = (line) => line): Promise<number> {
  let count = 0
  try {
    for await (const line of logLines(stream)) {
      if (count === 0) onFirstLine?.()
      count++
      if (!out.write(format(line) + '\n')) await once(out, 'drain')
    }
  } finally {
    stream.destroy()
  }

  return count
}
