import {Args, Flags} from '@oclif/core'

import {BulkBuildCommand} from '../../bulk-build-command.js'

export default class BuildDelete extends BulkBuildCommand {
  static override summary = 'Delete a build'
  static override description = 'Asks for confirmation on a terminal. --all deletes every build of the tool.'
  static override strict = false
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %> mytool-buildpacks-pipelinerun-x7k2p', '<%= config.bin %> <%= command.id %> --all --yes-i-know']

  static override args = {
    build_ids: Args.string({ignoreStdin: true, description: 'Ids of the builds to delete.'}),
  }

  static override flags = {
    all: Flags.boolean({summary: 'Delete all the current builds'}),
    'yes-i-know': Flags.boolean({char: 'y', aliases: ['yes'], summary: "Don't ask for confirmation"}),
  }

  async run(): Promise<Record<string, unknown>> {
    const {argv, flags} = await this.parse(BuildDelete)
    return this.runBulk('delete', argv as string[], flags)
  }
}
