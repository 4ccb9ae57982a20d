import {Flags} from '@oclif/core'

import {BuildsClient} from '../../api/builds.js'
import type {ResponseMessages} from '../../api/jobs-types.js'
import {BaseCommand} from '../../base-command.js'
import {confirmDestructive} from '../../ui/prompt.js'

export const CLEAN_CONFIRMATION =
  "NOTE: This will remove all your built images to clean up space, you'll have to start a new build to create a new image before being able to restart any running webservice/job or start a new one, are you sure?"

export default class BuildClean extends BaseCommand {
  static override summary = 'Try to cleanup old artifacts and caches to free some quota.'
  static override description = 'Asks for confirmation on a terminal.'
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --yes-i-know']

  static override flags = {
    'yes-i-know': Flags.boolean({char: 'y', aliases: ['yes'], summary: "Don't ask for confirmation."}),
  }

  async run(): Promise<{messages: ResponseMessages}> {
    const {flags} = await this.parse(BuildClean)
    await confirmDestructive(CLEAN_CONFIRMATION, {yes: flags['yes-i-know'], json: this.jsonEnabled(), yesFlag: '--yes-i-know'})
    // The server's summary arrives as info messages, which the HTTP core hands to the printer.
    const response = await new BuildsClient(this.apiClient('builds')).clean()
    if (!this.jsonEnabled()) this.print('If you still need more space, please contact a toolforge maintainer (https://w.wiki/6Zuu).')
    return response
  }
}
