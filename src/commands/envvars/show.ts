import {Args, Flags} from '@oclif/core'

import {EnvvarsClient} from '../../api/envvars.js'
import {BaseCommand} from '../../base-command.js'
import {jsonOne, renderEnvvars} from '../../envvars/format.js'
import {validateExistingName} from '../../envvars/names.js'

export default class EnvvarsShow extends BaseCommand {
  static override summary = 'Show a specific envvar.'
  static override description = 'The value is hidden unless --show-values or --raw is given.'
  static override enableJsonFlag = true
  static override examples = [
    '<%= config.bin %> <%= command.id %> MY_API_TOKEN --show-values',
    '<%= config.bin %> <%= command.id %> MY_API_TOKEN --raw > token.txt',
  ]

  static override args = {
    envvar_name: Args.string({ignoreStdin: true, required: true, description: 'Name of the envvar.'}),
  }

  static override flags = {
    'show-values': Flags.boolean({summary: 'By default the envvar value is hidden. To see it, use --show-values'}),
    raw: Flags.boolean({summary: 'If set, will output the raw value', exclusive: ['json']}),
  }

  /** `--raw` output is the secret itself, often captured with `$(…)`: messages go to stderr. */
  protected override stdoutCarriesData(): boolean {
    return this.argv.includes('--raw') || super.stdoutCarriesData()
  }

  async run(): Promise<ReturnType<typeof jsonOne> | undefined> {
    const {args, flags} = await this.parse(EnvvarsShow)
    validateExistingName(args.envvar_name)
    const {envvar, messages} = await new EnvvarsClient(this.apiClient('envvars')).show(args.envvar_name)
    if (flags.raw) {
      // Exactly the stored bytes, no newline added, so `$(… --raw)` and redirections round-trip.
      process.stdout.write(envvar.value)
      return undefined
    }

    if (!this.jsonEnabled()) this.print(renderEnvvars([envvar], {showValues: flags['show-values']}))
    return jsonOne(envvar, messages, flags['show-values'])
  }
}
