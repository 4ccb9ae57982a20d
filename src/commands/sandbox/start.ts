import {Flags} from '@oclif/core'

import {SandboxCommand} from '../../sandbox-command.js'
import {sandboxNextSteps} from '../../ui/sandbox.js'

export default class SandboxStart extends SandboxCommand {
  static override summary = 'Start a local Toolforge (jobs and envvars APIs over mutual TLS) on this machine.'
  static override description = `Jobs really run, as local processes under /bin/sh in the tool's sandbox home — on this host, not in a container.
Point every other command at it with: eval "$(toolforge sandbox env)"`

  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --port 30010 --data-dir /tmp/sb']

  static override flags = {
    port: Flags.integer({summary: 'Port to listen on (127.0.0.1 only).', default: 30003, min: 1, max: 65535}),
    tool: Flags.string({summary: 'Name of the sandbox tool (the client certificate CN).', default: 'tf-test'}),
    uid: Flags.integer({summary: 'Unix uid the tool pods must run as (checked by the pod policy).', default: 50001, min: 1}),
    foreground: Flags.boolean({summary: 'Stay in the foreground until interrupted instead of starting a background server.'}),
    quota: Flags.string({
      summary: 'Raise (or lower) a ResourceQuota limit of the tool, as admins do on request, e.g. count/cronjobs.batch=128.',
      multiple: true,
      helpValue: 'KEY=VALUE',
    }),
  }

  async run(): Promise<Record<string, unknown>> {
    const {flags} = await this.parse(SandboxStart)
    const {startSandbox} = await import('../../sandbox/control.js')
    const info = await this.control(() =>
      startSandbox({dataDir: flags['data-dir'], port: flags.port, tool: flags.tool, uid: flags.uid, foreground: flags.foreground, quota: flags.quota}),
    )
    const {server, ...summary} = info
    if (info.stalePid !== undefined) this.printer.warn(`removed a stale pid file (pid ${info.stalePid} was not running)`)
    if (!this.jsonEnabled()) this.print(sandboxNextSteps(summary, flags['data-dir']))
    if (server) {
      // Foreground: serve until Ctrl-C or SIGTERM, then stop every job before exiting.
      await new Promise<void>((resolve) => {
        const stop = () => resolve()
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
      await server.close()
    }

    return summary
  }
}
