import {Errors, Flags} from '@oclif/core'

import {EXIT_INTERRUPTED, EXIT_SERVER_ERROR, ReportedFailure} from '../../api/errors.js'
import {SandboxCommand} from '../../sandbox-command.js'
import {rootWarning, toolNameProblem} from '../../sandbox/settings.js'
import {takeOverInterrupt} from '../../ui/interrupt.js'
import {sandboxNextSteps} from '../../ui/sandbox.js'

export default class SandboxStart extends SandboxCommand {
  static override summary = 'Start a local Toolforge (jobs and envvars APIs over mutual TLS) on this machine.'
  static override description = `Jobs really run, as local processes under /bin/sh in the tool's sandbox home — on this host, not in a container, as the user who starts the sandbox.
Point every other command at it with: eval "$(toolforge sandbox env)"

The data dir remembers --tool, --uid and --quota from its first start: a later start without them uses the same ones; a different --tool or --uid is refused (the state belongs to the first tool; 'sandbox reset' starts over), a --quota changes the limits it names.`

  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --port 30010 --data-dir /tmp/sb']

  static override flags = {
    port: Flags.integer({summary: 'Port to listen on (127.0.0.1 only).', default: 30003, min: 1, max: 65535}),
    tool: Flags.string({summary: 'Name of the sandbox tool (the client certificate CN). Default: tf-test, or the one the data dir was first started with.'}),
    uid: Flags.integer({summary: 'Unix uid the tool pods must run as (checked by the pod policy). Default: 50001, or the one the data dir was first started with.', min: 1}),
    foreground: Flags.boolean({summary: 'Stay in the foreground until interrupted instead of starting a background server.'}),
    quota: Flags.string({
      summary: 'Raise (or lower) a ResourceQuota limit of the tool, as admins do on request, e.g. count/cronjobs.batch=128.',
      multiple: true,
      helpValue: 'KEY=VALUE',
    }),
  }

  async run(): Promise<Record<string, unknown>> {
    const {flags} = await this.parse(SandboxStart)
    const badTool = flags.tool === undefined ? undefined : toolNameProblem(flags.tool)
    if (badTool) throw new Errors.CLIError(`--tool: ${badTool}`, {exit: EXIT_SERVER_ERROR})
    // Taken over before the server exists, so that no Ctrl-C can leave it behind without its cleanup.
    const signal = flags.foreground ? this.nextSignal() : undefined
    const {startSandbox} = await import('../../sandbox/control.js')
    let info
    try {
      info = await this.control(() =>
        startSandbox({dataDir: flags['data-dir'], port: flags.port, tool: flags.tool, uid: flags.uid, foreground: flags.foreground, quota: flags.quota}),
      )
    } catch (error) {
      signal?.dispose()
      throw error
    }

    const {server, ...summary} = info
    if (info.stalePid !== undefined) this.printer.warn(`removed a stale pid file (pid ${info.stalePid} was not running)`)
    const asRoot = rootWarning(process.getuid?.(), info.uid)
    if (asRoot) this.printer.warn(asRoot)
    if (!this.jsonEnabled()) this.print(sandboxNextSteps(summary, flags['data-dir']))
    if (server && signal) {
      // Serve until Ctrl-C or SIGTERM, then stop every job and remove the pid file before exiting.
      const received = await signal.received
      if (!this.jsonEnabled()) process.stderr.write(`${received === 'SIGINT' ? '\n' : ''}Stopping the sandbox and every job it started…\n`)
      await server.close()
      signal.dispose()
      if (!this.jsonEnabled()) this.print('Sandbox stopped')
      if (received === 'SIGINT') throw new ReportedFailure(EXIT_INTERRUPTED, summary, 'interrupted')
    }

    return summary
  }

  /** The first SIGINT or SIGTERM; later ones are ignored while the sandbox stops, which takes bounded time. */
  private nextSignal(): {received: Promise<NodeJS.Signals>; dispose(): void} {
    let handler: (signal: NodeJS.Signals) => void = () => {}
    const received = new Promise<NodeJS.Signals>((resolve) => {
      handler = (signal) => resolve(signal)
    })
    // Instead of the usual immediate exit 130, which would leave the jobs running.
    const giveBackInterrupt = takeOverInterrupt(() => handler('SIGINT'))
    process.on('SIGTERM', handler)
    return {
      received,
      dispose() {
        giveBackInterrupt()
        process.removeListener('SIGTERM', handler)
      },
    }
  }
}
