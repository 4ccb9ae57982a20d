import {BuildsClient} from '../../api/builds.js'
import type {ResponseMessages} from '../../api/jobs-types.js'
import {BaseCommand} from '../../base-command.js'
import {type FormattedBuild, formatBuild, renderBuildList} from '../../build/format.js'

// Q-BUILD-04: upstream's hint lacks the space after the comma; fixed here.
export const NO_BUILDS = 'No builds found, you can start one using `toolforge build start`, run `toolforge build start --help` for more details'

export default class BuildList extends BaseCommand {
  static override summary = 'List builds'
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %>', "<%= config.bin %> <%= command.id %> --json | jq -r '.builds[0].build_id'"]

  async run(): Promise<{messages: ResponseMessages; builds: FormattedBuild[]}> {
    await this.parse(BuildList)
    const {builds, messages} = await new BuildsClient(this.apiClient('builds')).list()
    const formatted = builds.map((b) => formatBuild(b))
    if (!this.jsonEnabled()) {
      if (formatted.length === 0) this.printer.info(NO_BUILDS)
      else this.print(renderBuildList(formatted))
    }

    return {messages, builds: formatted}
  }
}
