import {EXIT_SERVER_ERROR, ReportedFailure} from '../../api/errors.js'
import {SandboxCommand} from '../../sandbox-command.js'

export default class SandboxStatus extends SandboxCommand {
  static override summary = 'Show whether the sandbox is running and answering.'
  static override enableJsonFlag = true

  async run(): Promise<Record<string, unknown>> {
    const {flags} = await this.parse(SandboxStatus)
    const {sandboxStatus} = await import('../../sandbox/control.js')
    const status = await this.control(() => sandboxStatus({dataDir: flags['data-dir']}))
    if (!this.jsonEnabled()) {
      if (status.stalePid !== undefined) this.printer.warn(`removed a stale pid file (pid ${status.stalePid} was not running)`)
      this.print(
        status.running
          ? `Sandbox running at ${status.url} (tool ${status.tool}, pid ${status.pid})${status.healthy ? '' : ' but not answering its health check'}`
          : `Sandbox not running (data dir ${status.dataDir})`,
      )
    }

    // A sandbox that runs but does not answer is a problem a script should notice.
    if (status.running && !status.healthy) throw new ReportedFailure(EXIT_SERVER_ERROR, {...status}, 'the sandbox is running but does not answer its health check')
    return {...status}
  }
}
