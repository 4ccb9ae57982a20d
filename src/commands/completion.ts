import {basename} from 'node:path'

import {Args, Command, Errors} from '@oclif/core'

import {completionScript, type Shell, SHELLS} from '../completion/scripts.js'
import {asUsageError} from '../usage-error.js'

export default class Completion extends Command {
  static override summary = 'Print the shell completion script for bash or zsh (job names, envvars, build ids, images included).'
  static override description = [
    'Completes commands and flags, and also the values only your tool knows: job names, envvar names, build ids and',
    'image names, read from a small cache that is refreshed in the background, so TAB never waits for the API.',
    'Install it once (see docs/completion.md):',
    '  bash: <%= config.bin %> completion bash > ~/.local/share/bash-completion/completions/<%= config.bin %>',
    '  zsh:  <%= config.bin %> completion zsh > ~/.zfunc/_<%= config.bin %>   (with fpath+=(~/.zfunc) before compinit in ~/.zshrc)',
    'or load it in each new shell: eval "$(<%= config.bin %> completion bash)".',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> bash > ~/.local/share/bash-completion/completions/<%= config.bin %>',
    'eval "$(<%= config.bin %> <%= command.id %> zsh)"',
  ]

  static override args = {
    shell: Args.string({options: [...SHELLS], description: 'Shell to print the script for (default: the one in $SHELL).'}),
  }

  async run(): Promise<void> {
    const {args} = await this.parse(Completion).catch((error: unknown) => {
      throw asUsageError(error)
    })
    const fromEnv = basename(process.env.SHELL ?? '')
    const shell = (args.shell ?? fromEnv) as Shell
    if (!SHELLS.includes(shell)) {
      throw new Errors.CLIError(`Cannot tell the shell from $SHELL (${fromEnv || 'unset'}): pass bash or zsh.`, {exit: 2})
    }

    process.stdout.write(completionScript(shell, this.config.bin))
  }
}
