import {SandboxCommand} from '../../sandbox-command.js'

export default class SandboxStop extends SandboxCommand {
  static override summary = 'Stop the sandbox and every job process it started.'
  static override enableJsonFlag = true

  async run(): Promise<Record<string, unknown>> {
    const {flags} = await this.parse(SandboxStop)
    const {stopSandbox} = await import('../../sandbox/control.js')
    const result = await this.control(() => stopSandbox({dataDir: flags['data-dir']}))
    if (!this.jsonEnabled()) {
      this.print(result.killed ? `Sandbox (pid ${result.pid}) did not stop in time and was killed` : `Sandbox stopped (pid ${result.pid})`)
    }

    return {...result}
  }
}
