import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {confirmDestructive} from '../../ui/prompt.js'

export default class JobsFlush extends BaseCommand {
  static override summary = 'Delete all running jobs of your own in Toolforge.'
  static override description = 'Asks for confirmation when run on a terminal; scripts are never asked, as upstream never asked.'
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --yes']

  static override flags = {
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation.'}),
  }

  async run(): Promise<{flushed: boolean}> {
    const {flags} = await this.parse(JobsFlush)
    const {tool} = this.toolContext()
    await confirmDestructive(`Delete ALL jobs of tool ${tool}?`, {yes: flags.yes, json: this.jsonEnabled(), unattended: 'proceed'})
    await this.jobsClient().flush()
    return {flushed: true}
  }
}
