import {Args, Flags} from '@oclif/core'
import {once} from 'node:events'

import {BaseCommand} from '../../base-command.js'
import {checkLastLines, formatLogRecord, MAX_LOG_LINES, readLogRecords} from '../../jobs/logs.js'
import {takeOverInterrupt} from '../../ui/interrupt.js'

/** Writes one line, waiting when stdout is a slow pipe so a long follow does not pile up in memory. */
async function writeLine(text: string): Promise<void> {
  if (!process.stdout.write(text + '\n')) await once(process.stdout, 'drain')
}

export default class JobsLogs extends BaseCommand {
  static override summary = 'Show output from a running job.'
  static override description = [
    'Only for jobs without file logging. With --follow, Ctrl-C ends the command normally (exit 0).',
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
    const stream = await this.jobsClient().logs(args.name, {follow: flags.follow, lines: flags.last})
    // Both end the output early on purpose: Ctrl-C while following (the only way a follow ends, so a
    // success rather than the usual 130; upstream also ends silently), and a reader that went away
    // (`| head`).
    let stopped = false
    const stop = () => {
      stopped = true
      stream.destroy()
    }

    let stdoutError: Error | undefined
    const onStdoutError = (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') stdoutError = error
      stop()
    }

    process.stdout.on('error', onStdoutError)
    const restoreInterrupt = flags.follow ? takeOverInterrupt(stop) : undefined
    try {
      const records = readLogRecords(stream, {
        onMalformed: (excerpt) => this.printer.warn(`skipping a log record that is not valid JSON: ${excerpt}`),
      })
      for await (const record of records) {
        if (stopped) break
        await writeLine(json ? JSON.stringify(record) : formatLogRecord(record))
      }
    } catch (error) {
      if (!stopped) throw error
    } finally {
      restoreInterrupt?.()
      process.stdout.removeListener('error', onStdoutError)
      stream.destroy()
    }

    if (stdoutError) throw stdoutError
  }
}
