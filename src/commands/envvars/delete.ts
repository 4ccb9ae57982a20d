import {Args, Flags} from '@oclif/core'

import {EnvvarsClient} from '../../api/envvars.js'
import {BaseCommand} from '../../base-command.js'
import {jsonOne, renderEnvvars} from '../../envvars/format.js'
import {validateExistingName} from '../../envvars/names.js'
import {confirmDestructive} from '../../ui/prompt.js'

export default class EnvvarsDelete extends BaseCommand {
  static override summary = 'Delete an envvar.'
  static override description = [
    'Asks for confirmation on a terminal. Prints the value the envvar had, hidden unless --show-values',
    '(upstream always showed it; we hide it like every other output).',
  ].join(' ')

  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %> MY_API_TOKEN', '<%= config.bin %> <%= command.id %> MY_API_TOKEN --yes']

  static override args = {
    envvar_name: Args.string({ignoreStdin: true, required: true, description: 'Name of the envvar.'}),
  }

  static override flags = {
    yes: Flags.boolean({char: 'y', aliases: ['yes-im-sure'], summary: 'If set, will not ask for confirmation'}),
    'show-values': Flags.boolean({summary: 'Show the deleted value in the output (hidden by default).'}),
  }

  async run(): Promise<ReturnType<typeof jsonOne>> {
    const {args, flags} = await this.parse(EnvvarsDelete)
    const name = args.envvar_name
    validateExistingName(name)
    // Q-ENV-03 fixed: like every --json command, a script is never asked.
    await confirmDestructive(`Are you sure you want to delete ${name}? (this can't be undone)`, {yes: flags.yes, json: this.jsonEnabled()})
    const {envvar, messages} = await new EnvvarsClient(this.apiClient('envvars')).delete(name)
    if (!this.jsonEnabled()) {
      this.print(`Deleted ${name}, here is its last value: \n${renderEnvvars([envvar], {showValues: flags['show-values']})}`)
    }

    return jsonOne(envvar, messages, flags['show-values'])
  }
}
