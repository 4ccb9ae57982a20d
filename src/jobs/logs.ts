import {ServerError, ToolforgeError, UserError} from '../api/errors.js'
import {streamLines} from '../api/ndjson.js'

// `toolforge jobs logs`: the jobs API streams one JSON record per line (jobs.md §2.6, §3.6 "Log line").

/** The server's own ceiling for `lines`; checked locally so the user gets the same message without a round trip. */
export const MAX_LOG_LINES = 5000

/** A log record as received; unknown fields are kept so `--json` can pass them through. */
export type LogRecord = Record<string, unknown>

export function checkLastLines(lines: number | undefined): void {
  if (lines !== undefined && lines > MAX_LOG_LINES) {
    throw new UserError(`Requested number of ${lines} lines is over limit of ${MAX_LOG_LINES}`)
  }
}

function field(record: LogRecord, key: string): string {
  const value = record[key]
  if (value === undefined || value === null) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** `<datetime> [<pod>] [<container>] <message>`, as the ≈2025 CLI prints it. */
export function formatLogRecord(record: LogRecord): string {
  return `${field(record, 'datetime')} [${field(record, 'pod')}] [${field(record, 'container')}] ${field(record, 'message')}`
}

const EXCERPT = 200

/** Where a malformed line sat: the first line of a response, or the last one, cut short without its newline. */
export interface MalformedInfo {
  first: boolean
  last: boolean
}

export interface ReadLogOptions {
  /**
   * A line that is not a JSON object: reported, then skipped, so one bad record cannot end a long follow.
   * May throw instead, to end the stream with that error.
   */
  onMalformed(excerpt: string, info: MalformedInfo): void
}

/** The stream broke off (connection reset, proxy gone) rather than ending: a follow may reconnect. */
export class LogStreamCutOff extends ServerError {}

function parseLine(text: string, opts: ReadLogOptions, info: MalformedInfo): LogRecord | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    value = undefined
  }

  if (value && typeof value === 'object' && !Array.isArray(value)) return value as LogRecord
  opts.onMalformed(text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text, info)
  return undefined
}

/**
 * Yields records as soon as their line is complete. Chunks may split a record, or a multi-byte
 * character, anywhere; the last record may lack its newline.
 */
export async function* readLogRecords(chunks: AsyncIterable<Buffer | string>, opts: ReadLogOptions): AsyncGenerator<LogRecord> {
  try {
    for await (const {text, first, last} of streamLines(chunks)) {
      const record = parseLine(text, opts, {first, last})
      if (record) yield record
    }
  } catch (error) {
    if (error instanceof ToolforgeError) throw error
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    throw new LogStreamCutOff(`The log stream from the jobs API was cut off (${reason})`, {cause: error})
  }
}
