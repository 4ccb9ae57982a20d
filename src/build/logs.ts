import {once} from 'node:events'
import type {Readable, Writable} from 'node:stream'
import {StringDecoder} from 'node:string_decoder'

import {ServerError} from '../api/errors.js'

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

/**
 * Yields log lines from an NDJSON stream. Records may arrive split across chunks at any byte,
 * including inside a multi-byte UTF-8 character, so bytes are decoded and split here, not per chunk.
 */
export async function* logLines(stream: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8')
  let pending = ''
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer)
    let newline = pending.indexOf('\n')
    while (newline >= 0) {
      const text = pending.slice(0, newline).replace(/\r$/, '')
      pending = pending.slice(newline + 1)
      if (text.trim() !== '') yield parseLogRecord(text)
      newline = pending.indexOf('\n')
    }
  }

  pending += decoder.end()
  if (pending.trim() !== '') yield parseLogRecord(pending.replace(/\r$/, ''))
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
