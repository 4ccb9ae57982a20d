import {Args} from '@oclif/core'

import type {DefinedJob} from '../../api/jobs-types.js'
import {BaseCommand} from '../../base-command.js'
import {showRows} from '../../jobs/format.js'
import {renderVertical} from '../../ui/table.js'

export default class JobsShow extends BaseCommand {
  static override summary = 'Show details of a job of your own in Toolforge.'
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %> myjob', '<%= config.bin %> <%= command.id %> myjob --json']

  static override args = {
    name: Args.string({required: true, ignoreStdin: true, description: 'Job name.'}),
  }

  async run(): Promise<DefinedJob> {
    const {args} = await this.parse(JobsShow)
    const job = await this.jobsClient().show(args.name)
    if (!this.jsonEnabled()) this.print(await renderVertical(showRows(job, this.toolContext().tool)))
    return job
  }
}
