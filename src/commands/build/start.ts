import {Args, Flags} from '@oclif/core'

import {BuildsClient, type NewBuild} from '../../api/builds.js'
import {UserError} from '../../api/errors.js'
import type {ResponseMessages} from '../../api/jobs-types.js'
import {BaseCommand} from '../../base-command.js'
import {followToEnd} from '../../build/follow.js'
import {type FormattedBuild, formatBuild} from '../../build/format.js'
import {buildParameters} from '../../build/params.js'
import {failureMessage, successLines} from '../../build/wait.js'

export interface StartJson {
  messages: ResponseMessages
  new_build: NewBuild
  /** Only when the command waited for the build (no --detach). */
  build?: FormattedBuild
}

export default class BuildStart extends BaseCommand {
  static override summary = 'Start a pipeline to build a container image from source code'
  static override description = [
    'Follows the build logs until the build finishes, then prints the image name to use with',
    '`toolforge jobs run --image`; exits 1 if the build failed, timed out or was cancelled.',
    'With --json the logs go to stderr and the final build is printed as JSON on stdout.',
  ].join(' ')

  static override enableJsonFlag = true
  static override examples = [
    "<%= config.bin %> <%= command.id %> 'https://gitlab.wikimedia.org/toolforge-repos/my-tool'",
    '<%= config.bin %> <%= command.id %> https://gitlab.wikimedia.org/toolforge-repos/my-tool --ref v2 -i web -e PYTHON_VERSION=3.12',
    '<%= config.bin %> <%= command.id %> https://gitlab.wikimedia.org/toolforge-repos/my-tool --detach --json',
  ]

  static override args = {
    source_git_url: Args.string({ignoreStdin: true, description: 'URL of the public git repository with the source code to build.'}),
  }

  static override flags = {
    ref: Flags.string({summary: 'Branch, tag or commit to build, by default will use the HEAD of the given repository.'}),
    'image-name': Flags.string({char: 'i', summary: 'Name of the image to be built, by default will be the name of the tool.'}),
    envvar: Flags.string({
      char: 'e',
      multiple: true,
      // One value per -e, so a following positional URL is never taken as a variable.
      multipleNonGreedy: true,
      summary: 'Environment variable and value to set during build (format `NAME=value`)',
    }),
    detach: Flags.boolean({char: 'D', summary: 'If set, will not stream build logs automatically'}),
    'use-latest-versions': Flags.boolean({char: 'L', summary: 'If set, it will use the latest versions of the buildpacks'}),
    'use-deprecated-versions': Flags.boolean({
      summary: 'If set, it will use a deprecated version of the buildpacks; only as a last resort while migrating (ignored with --use-latest-versions)',
    }),
  }

  async run(): Promise<StartJson> {
    const {args, flags} = await this.parse(BuildStart)
    const params = buildParameters({
      sourceUrl: args.source_git_url,
      ref: flags.ref,
      imageName: flags['image-name'],
      envvars: flags.envvar,
      useLatestVersions: flags['use-latest-versions'],
      useDeprecatedVersions: flags['use-deprecated-versions'],
    })
    if (params.use_latest_versions && params.use_deprecated_versions) {
      this.printer.warn('--use-deprecated-versions is ignored together with --use-latest-versions')
    }

    const json = this.jsonEnabled()
    const {tool} = this.toolContext()
    const client = new BuildsClient(this.apiClient('builds'))
    const {new_build: newBuild, messages} = await client.start(params)
    const id = newBuild.name
    if (flags.detach) {
      if (!json) {
        this.print(`Building '${params.source_url}', build name is '${id}'\nYou can see the status with:\n\ttoolforge build show`)
      }

      return {messages, new_build: newBuild}
    }

    // Upstream ignored --json here (Q-BUILD-03, fixed): logs go to stderr so stdout stays one JSON document.
    this.printer.info(`Building '${params.source_url}', build name is '${id}'`)
    const outcome = await followToEnd(client, id, {out: json ? process.stderr : process.stdout, json})
    const result: StartJson = {messages, new_build: newBuild, build: formatBuild(outcome.build)}
    const failure = failureMessage(outcome.build, id, outcome.finished)
    if (failure) {
      // A script still gets the build document on stdout along with the non-zero exit.
      if (json) this.logJson(result)
      throw new UserError(failure)
    }

    if (!json) this.print(successLines(outcome.build, id, tool).join('\n'))
    return result
  }
}
