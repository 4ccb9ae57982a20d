import {Args} from '@oclif/core'

import {BuildsClient} from '../../api/builds.js'
import type {ResponseMessages} from '../../api/jobs-types.js'
import {BaseCommand} from '../../base-command.js'
import {type FormattedBuild, formatBuild, renderBuildDetails} from '../../build/format.js'
import {colorEnabled} from '../../ui/terminal.js'

export default class BuildShow extends BaseCommand {
  static override summary = 'Show details for a specific build'
  static override description = 'Without a build id, shows the most recent build.'
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %>', "<%= config.bin %> <%= command.id %> --json | jq -r '.build.destination_image'"]

  static override args = {
    build_name: Args.string({ignoreStdin: true, description: 'Id of the build (default: the most recent one).'}),
  }

  async run(): Promise<{messages: ResponseMessages; build: FormattedBuild}> {
    const {args} = await this.parse(BuildShow)
    const {build, messages} = await new BuildsClient(this.apiClient('builds')).get(args.build_name)
    const formatted = formatBuild(build)
    if (!this.jsonEnabled()) this.print(renderBuildDetails(formatted, colorEnabled(process.stdout)))
    return {messages, build: formatted}
  }
}
