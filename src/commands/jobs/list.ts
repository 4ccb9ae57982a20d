import {Flags} from '@oclif/core'

import type {DefinedJob} from '../../api/jobs-types.js'
import {BaseCommand} from '../../base-command.js'
import {jobRow, LONG_COLUMNS, NORMAL_COLUMNS} from '../../jobs/format.js'
import {neutralizeControls} from '../../ui/control-chars.js'
import {renderTable} from '../../ui/table.js'

export default class JobsList extends BaseCommand {
  static override summary = 'List all running jobs of your own in Toolforge.'
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> -o long', '<%= config.bin %> <%= command.id %> --json']

  static override flags = {
    output: Flags.option({
      char: 'o',
      options: ['normal', 'long', 'name'] as const,
      default: 'normal' as const,
      summary: 'Output format: normal, long, or name (one job name per line).',
    })(),
    // Our own warning rather than oclif's `deprecated`, which prints it in oclif's format, not upstream's.
    long: Flags.boolean({char: 'l', hidden: true}),
  }

  async run(): Promise<{jobs: DefinedJob[]}> {
    const {flags} = await this.parse(JobsList)
    if (flags.long) this.printer.warn('the `--long` flag is deprecated, use `--output long` instead')
    const jobs = await this.jobsClient().list()
    if (this.jsonEnabled()) return {jobs}
    if (jobs.length === 0) return {jobs}

    const output = flags.long ? 'long' : flags.output
    if (output === 'name') {
      this.print(jobs.map((j) => neutralizeControls(j.name)).join('\n'))
    } else {
      const columns = output === 'long' ? LONG_COLUMNS : NORMAL_COLUMNS
      this.print(await renderTable([...columns], jobs.map((job) => jobRow(job, columns)), {align: 'center'}))
    }

    return {jobs}
  }
}
