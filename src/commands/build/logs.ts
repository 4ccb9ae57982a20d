import {Args, Flags} from '@oclif/core'

import {BuildsClient} from '../../api/builds.js'
import {ServerError} from '../../api/errors.js'
import {pathSegment} from '../../api/path.js'
import {BaseCommand} from '../../base-command.js'
import {showLogs} from '../../build/follow.js'

export default class BuildLogs extends BaseCommand {
  static override summary = 'Show the logs for a build'
  static override description = [
    'Without a build id, shows the logs of the most recent build. With --follow, Ctrl-C ends the command normally (exit 0).',
    'With --json, each log line is printed as one JSON object per line (NDJSON): {"line": "…"}.',
  ].join('\n')

  static override enableJsonFlag = true
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> mytool-buildpacks-pipelinerun-x7k2p --follow',
    '<%= config.bin %> <%= command.id %> --json | jq -r .line',
  ]

  static override args = {
    build_name: Args.string({ignoreStdin: true, description: 'Id of the build (default: the most recent one).'}),
  }

  static override flags = {
    follow: Flags.boolean({char: 'f', summary: 'Follow the logs'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(BuildLogs)
    const client = new BuildsClient(this.apiClient('builds'))
    const id = args.build_name ?? (await client.get()).build.build_id
    if (!id) throw new ServerError("Invalid response from the builds API: missing or wrong 'build.build_id'")
    // Refused before the "waiting for the logs" line, which would otherwise come first.
    pathSegment(id, 'build id')
    const json = this.jsonEnabled()
    await showLogs(client, id, {follow: flags.follow, out: process.stdout, interruptEnds: flags.follow, json, ndjson: json})
  }
}
