import {SandboxCommand} from '../../sandbox-command.js'
import {quoteShell} from '../../ui/shell.js'

export default class SandboxEnv extends SandboxCommand {
  static override summary = 'Print shell exports that point every other command at the sandbox.'
  static override description = 'Sets KUBECONFIG (the sandbox tool identity), TOOL_TOOLFORGE_API_URL and TOOLFORGE_CA_FILE (the sandbox server is always verified), TOOLFORGE_TOOL_HOME (the sandbox tool home, which `webservice` uses instead of $HOME) and TOOLFORGE_SANDBOX (the data dir; errors then say how to start the sandbox instead of asking you to report them). HOME is left alone.'
  static override enableJsonFlag = true
  static override examples = ['eval "$(<%= config.bin %> <%= command.id %>)"']

  async run(): Promise<Record<string, string>> {
    const {flags} = await this.parse(SandboxEnv)
    const {sandboxEnv} = await import('../../sandbox/control.js')
    const env = await this.control(() => sandboxEnv({dataDir: flags['data-dir']}))
    if (!this.jsonEnabled()) this.print(Object.entries(env).map(([key, value]) => `export ${key}=${quoteShell(value)}`).join('\n'))
    return env
  }
}
