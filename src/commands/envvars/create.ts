import {Args, Flags} from '@oclif/core'

import {EnvvarsClient} from '../../api/envvars.js'
import {BaseCommand} from '../../base-command.js'
import {jsonOne, renderEnvvars} from '../../envvars/format.js'
import {validateNewName} from '../../envvars/names.js'
import {resolveValue} from '../../envvars/value.js'
import {promptSecret} from '../../ui/prompt.js'
import {interactive} from '../../ui/terminal.js'

export default class EnvvarsCreate extends BaseCommand {
  static override summary = 'Create/update an envvar.'
  static override description = [
    'Without ENVVAR_VALUE the value is asked for (hidden) on a terminal, or read byte for byte from stdin,',
    'trailing newline included. Prefer stdin in scripts: an argument is visible in the process list.',
  ].join(' ')

  static override enableJsonFlag = true
  static override examples = [
    '<%= config.bin %> <%= command.id %> MY_API_TOKEN',
    'printf %s "$SECRET" | <%= config.bin %> <%= command.id %> MY_API_TOKEN',
    '<%= config.bin %> <%= command.id %> MY_CONFIG < config.txt',
  ]

  static override args = {
    envvar_name: Args.string({ignoreStdin: true, required: true, description: 'Name of the envvar, e.g. MY_API_TOKEN.'}),
    // ignoreStdin: oclif would otherwise fill a missing argument from a trimmed, re-encoded stdin,
    // altering the value; we read stdin ourselves, byte for byte.
    envvar_value: Args.string({ignoreStdin: true, description: 'Value (avoid for secrets: visible in the process list); default: prompt or stdin.'}),
  }

  static override flags = {
    'allow-empty': Flags.boolean({summary: 'Allow storing an empty value.'}),
    'show-values': Flags.boolean({summary: 'Show the stored value in the output (hidden by default).'}),
  }

  async run(): Promise<ReturnType<typeof jsonOne>> {
    const {args, flags} = await this.parse(EnvvarsCreate)
    validateNewName(args.envvar_name)
    const value = await resolveValue({
      argument: args.envvar_value,
      stdin: process.stdin,
      prompt: promptSecret,
      canPrompt: interactive() && !this.jsonEnabled(),
      allowEmpty: flags['allow-empty'],
      warn: (message) => this.printer.warn(message),
    })
    const {envvar, messages} = await new EnvvarsClient(this.apiClient('envvars')).create(args.envvar_name, value)
    if (!this.jsonEnabled()) this.print(renderEnvvars([envvar], {showValues: flags['show-values']}))
    return jsonOne(envvar, messages, flags['show-values'])
  }
}
