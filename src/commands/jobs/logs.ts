import {Args, Flags} from '@oclif/core'
import {once} from 'node:events'

import type {Readable} from 'node:stream'

import {ServerError} from '../../api/errors.js'
import {BaseCommand} from '../../base-command.js'
import {followLogRecords} from '../../jobs/follow.js'
import {checkLastLines, formatLogRecord, type LogRecord, type MalformedInfo, MAX_LOG_LINES, readLogRecords} from '../../jobs/logs.js'
import {takeOverInterrupt} from '../../ui/interrupt.js'

/** Writes one line, waiting when stdout is a slow pipe so a long follow does not pile up in memory. */
async function writeLine(text: string): Promise<void> {
  if (!process.stdout.write(text + '\n')) await once(process.stdout, 'drain')
}

export default class JobsLogs extends BaseCommand {
  static override summary = 'Show output from a running job.'
  static override description = [
    'Only for jobs without file logging. With --follow, Ctrl-C ends the command normally (exit 0), and a',
    'stream that breaks off is reopened (up to 5 times in a row) without repeating lines already shown.',
    'With --json, each log record is printed as one JSON object per line (NDJSON).',
  ].join('\n')

  static override enableJsonFlag = true
  static override examples = [
    '<%= config.bin %> <%= command.id %> myjob',
    '<%= config.bin %> <%= command.id %> myjob --follow',
    '<%= config.bin %> <%= command.id %> myjob --last 100 --json',
  ]

  static override args = {
    name: Args.string({required: true, ignoreStdin: true, description: 'Job name.'}),
  }

  static override flags = {
    follow: Flags.boolean({char: 'f', summary: 'Stream updates.'}),
    last: Flags.integer({char: 'l', min: 1, summary: `Number of recent log lines to display (at most ${MAX_LOG_LINES}).`}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(JobsLogs)
    checkLastLines(flags.last)
    const json = this.jsonEnabled()
    const client = this.jobsClient()
    // Both end the output early on purpose: Ctrl-C while following (the only way a follow ends, so a
    // success rather than the usual 130; upstream also ends silently), and a reader that went away
    // (`| head`).
    let stopped = false
    let stream: Readable | undefined
    const abort = new AbortController()
    const stop = () => {
      stopped = true
      abort.abort()
      stream?.destroy()
    }

    const onMalformed = (excerpt: string, info: MalformedInfo) => {
      // A proxy's error page, or a response cut short, is not a log: say so instead of skipping lines.
      if (info.first && excerpt.trimStart().startsWith('<')) {
        throw new ServerError(`Invalid response from the jobs API: an HTML page instead of log records (${excerpt})`)
      }

      if (info.last) throw new ServerError(`The log stream from the jobs API ended in the middle of a record: ${excerpt}`)
      this.printer.warn(`skipping a log record that is not valid JSON: ${excerpt}`)
    }

    let records: AsyncIterable<LogRecord>
    if (flags.follow) {
      records = followLogRecords({
        client,
        name: args.name,
        lines: flags.last,
        onMalformed,
        onReconnect: (message) => this.printer.warn(message),
        onStream(opened) {
          stream = opened
        },
        signal: abort.signal,
        // The knob that makes HTTP retries quick in tests does the same for reconnects; 1 s otherwise.
        baseDelayMs: client.http.options.retryBaseMs === undefined ? undefined : client.http.options.retryBaseMs * 5,
      })
    } else {
      stream = await client.logs(args.name, {follow: false, lines: flags.last})
      records = readLogRecords(stream, {onMalformed})
    }

    let stdoutError: Error | undefined
    const onStdoutError = (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') stdoutError = error
      stop()
    }

    process.stdout.on('error', onStdoutError)
    const restoreInterrupt = flags.follow ? takeOverInterrupt(stop) : undefined
    try {
      for await (const record of records) {
        if (stopped) break
        await writeLine(json ? JSON.stringify(record) : formatLogRecord(record))
      }
    } catch (error) {
      if (!stopped) throw error
    } finally {
      restoreInterrupt?.()
      process.stdout.removeListener('error', onStdoutError)
      stream?.destroy()
    }

    if (stdoutError) throw stdoutError
  }
}
