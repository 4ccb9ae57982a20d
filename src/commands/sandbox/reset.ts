import {Flags} from '@oclif/core'

import {SandboxCommand} from '../../sandbox-command.js'
import {confirmDestructive} from '../../ui/prompt.js'

export default class SandboxReset extends SandboxCommand {
  static override summary = 'Stop the sandbox and wipe its state: jobs, envvars, logs, homes and certificates.'
  static override enableJsonFlag = true
  static override flags = {
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation.'}),
  }

  async run(): Promise<Record<string, unknown>> {
    const {flags} = await this.parse(SandboxReset)
    const {defaultDataDir, resetSandbox} = await import('../../sandbox/control.js')
    const dataDir = flags['data-dir'] ?? defaultDataDir()
    await confirmDestructive(`Wipe all sandbox state in ${dataDir}? This cannot be undone.`, {yes: flags.yes, json: this.jsonEnabled()})
    const result = await this.control(() => resetSandbox({dataDir}))
    if (!this.jsonEnabled()) this.print(`Sandbox state wiped${result.stopped ? ' (the running sandbox was stopped first)' : ''}: ${dataDir}`)
    return {dataDir, ...result}
  }
}
