import {Args, Flags} from '@oclif/core'

import {BulkBuildCommand} from '../../bulk-build-command.js'

export default class BuildCancel extends BulkBuildCommand {
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
    return this.runBulk('cancel', argv as string[], flags)
  }
}
