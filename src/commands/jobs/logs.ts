import {Args, Flags} from '@oclif/core'
import {once} from 'node:events'

import {BaseCommand} from '../../base-command.js'
import {checkLastLines, formatLogRecord, readLogRecords} from '../../jobs/logs.js'
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
    name: Args.string({required: true, description: 'Job name.'}),
  }

  static override flags = {
    follow: Flags.boolean({char: 'f', summary: 'Stream updates.'}),
    last: Flags.integer({char: 'l', min: 1, summary: 'Number of recent log lines to display.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(JobsLogs)
    checkLastLines(flags.last)
    const json = this.jsonEnabled()
    const stream = await this.jobsClient().logs(args.name, {follow: flags.follow, lines: flags.last})
    let interrupted = false
    // Following only ends when the user stops it, so that is a success, not the usual 130; upstream
    // also ends silently.
    const restoreInterrupt = flags.follow
      ? takeOverInterrupt(() => {
          interrupted = true
          stream.destroy()
        })
      : undefined
    try {
      const records = readLogRecords(stream, {
        onMalformed: (excerpt) => this.printer.warn(`skipping a log record that is not valid JSON: ${excerpt}`),
      })
      for await (const record of records) {
        if (interrupted) break
        await writeLine(json ? JSON.stringify(record) : formatLogRecord(record))
      }
    } catch (error) {
      if (!interrupted) throw error
    } finally {
      restoreInterrupt?.()
      stream.destroy()
    }
  }
}
