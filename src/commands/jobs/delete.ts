import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {confirmDestructive} from '../../ui/prompt.js'

export default class JobsDelete extends BaseCommand {
  static override summary = 'Delete a running job of your own in Toolforge.'
  static override description = 'Asks for confirmation when run on a terminal; scripts are never asked, as upstream never asked.'
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %> myjob', '<%= config.bin %> <%= command.id %> myjob --yes']

  static override args = {
    name: Args.string({required: true, ignoreStdin: true, description: 'Job name.'}),
  }

  static override flags = {
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation.'}),
  }

  async run(): Promise<{deleted: string[]}> {
    const {args, flags} = await this.parse(JobsDelete)
    const {tool} = this.toolContext()
    await confirmDestructive(`Delete job '${args.name}' of tool ${tool}?`, {yes: flags.yes, json: this.jsonEnabled(), unattended: 'proceed'})
    await this.jobsClient().delete(args.name)
    return {deleted: [args.name]}
  }
}
