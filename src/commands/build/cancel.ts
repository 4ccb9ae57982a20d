import {Args, Flags} from '@oclif/core'

import {BuildsClient} from '../../api/builds.js'
import {BaseCommand} from '../../base-command.js'
import {bulkBuilds, bulkJson} from '../../build/bulk.js'
import {confirmDestructive} from '../../ui/prompt.js'

export default class BuildCancel extends BaseCommand {
  static override summary = 'Cancel a running build (does nothing for stopped ones)'
  static override description = 'Asks for confirmation on a terminal. --all cancels every pending or running build.'
  static override strict = false
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %> mytool-buildpacks-pipelinerun-x7k2p', '<%= config.bin %> <%= command.id %> --all --yes-i-know']

  static override args = {
    build_ids: Args.string({ignoreStdin: true, description: 'Ids of the builds to cancel.'}),
  }

  static override flags = {
    all: Flags.boolean({summary: 'Cancel all the current builds.'}),
    'yes-i-know': Flags.boolean({char: 'y', aliases: ['yes'], summary: "Don't ask for confirmation."}),
  }

  async run(): Promise<Record<string, unknown>> {
    const {argv, flags} = await this.parse(BuildCancel)
    const json = this.jsonEnabled()
    const result = await bulkBuilds('cancel', new BuildsClient(this.apiClient('builds')), {ids: argv as string[], all: flags.all}, {
      confirm: (message) => confirmDestructive(message, {yes: flags['yes-i-know'], json}),
      // Under --json each failure is in the document; the final error line says how many failed.
      error: (message) => (json ? undefined : this.printer.error(message)),
      print: (text) => (json ? undefined : this.print(text)),
      result: (outcome) => (json && outcome.failures.length > 0 ? this.logJson(bulkJson('cancel', outcome)) : undefined),
    })
    return bulkJson('cancel', result)
  }
}
