// The help class oclif uses (package.json `oclif.helpClass`) for `toolforge help …`, `--help` when
// oclif itself runs, and `oclif readme`. It hands everything to the renderer in ./help.ts, the same
// one the launcher prints from without oclif, so the two can never disagree.

import {type Command, Errors, HelpBase} from '@oclif/core'

import type {ManifestCommand, ManifestFlag} from '../oclif-manifests.js'
import {commandHelp, formatCommand, type HelpCli, type HelpOptions, helpTarget, renderHelp} from './help.js'
import {beforeDoubleDash, helpFlags} from './help-request.js'
import {colorEnabled} from './terminal.js'

type DynamicFlag = {type?: string; noCacheDefault?: boolean; default?: unknown; defaultHelp?: unknown}

/** A flag's default as oclif computes it for help: `defaultHelp()`, else `default()`, else the value. */
async function helpDefault(flag: DynamicFlag): Promise<unknown> {
  const context = {flags: {}, options: flag}
  try {
    if (typeof flag.defaultHelp === 'function') return await flag.defaultHelp(context)
    if (typeof flag.default === 'function') return await flag.default(context)
  } catch {
    return undefined
  }

  return flag.default
}

export default class Help extends HelpBase {
  override async showHelp(argv: string[]): Promise<void> {
    const cli = this.cli()
    const target = helpTarget(cli, argv, helpFlags(this.config.pjson))
    if (target.kind === 'unknown') Errors.error(`Command ${target.subject} not found.`)
    if (target.kind === 'command' && target.command.hasDynamicHelp && target.command.pluginType !== 'jit') {
      target.command = await this.withRuntimeDefaults(target.command as Command.Loadable)
    }

    this.write(renderHelp(cli, target, this.renderOptions(argv)))
  }

  override async showCommandHelp(command: Command.Loadable): Promise<void> {
    this.write(commandHelp(this.cli(), command as ManifestCommand, this.renderOptions()))
  }

  /** The help sections of one command; `oclif readme` builds the README's command reference from these. */
  formatCommand(command: Command.Loadable): string {
    return formatCommand(this.cli(), command as ManifestCommand, this.renderOptions())
  }

  /** Commands whose flag defaults are computed at run time (`hasDynamicHelp`) show the computed values. */
  private async withRuntimeDefaults(command: Command.Loadable): Promise<ManifestCommand> {
    const loaded = await command.load()
    const flags: Record<string, ManifestFlag> = {...(command.flags as Record<string, ManifestFlag>)}
    for (const [name, flag] of Object.entries((loaded.flags ?? {}) as Record<string, DynamicFlag>)) {
      if (flag.type === 'boolean' || !flags[name]) continue
      flags[name] = {...flags[name], default: await helpDefault(flag)}
    }

    return {...(command as ManifestCommand), flags}
  }

  private renderOptions(argv: readonly string[] = []): HelpOptions {
    const stream = this.opts.sendToStderr ? process.stderr : process.stdout
    const json = beforeDoubleDash(argv).includes('--json')
    return {...this.opts, maxWidth: this.opts.maxWidth, color: !this.opts.stripAnsi && !json && colorEnabled(stream)}
  }

  private write(text: string): void {
    ;(this.opts.sendToStderr ? process.stderr : process.stdout).write(text)
  }

  private cli(): HelpCli {
    const {config} = this
    return {
      bin: config.bin,
      topicSeparator: config.topicSeparator,
      userAgent: config.userAgent,
      description: config.pjson.oclif.description || config.pjson.description,
      state: config.pjson.oclif.state,
      platform: config.platform,
      shell: config.shell,
      commands: config.commands as ManifestCommand[],
      topics: config.topics,
      findCommand: (id) => config.findCommand(id) as ManifestCommand | undefined,
      findTopic: (name) => config.findTopic(name),
      pluginState: (name) => (name === undefined ? undefined : config.plugins.get(name)?.pjson.oclif.state),
    }
  }
}
