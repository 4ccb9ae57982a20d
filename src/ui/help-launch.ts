// Answers help requests (`toolforge`, `toolforge jobs`, `toolforge jobs list --help`, `toolforge
// help jobs`) from the oclif manifests, before and instead of loading oclif: loading @oclif/core and
// its Config costs more than the rest of printing help. Whenever oclif might print something else
// (a hook runs first, a manifest is stale, the command computes its help at run time, the request
// is not plainly help) the answer is undefined and oclif runs as usual. Keep the imports light:
// no @oclif/core, no YAML, no HTTP client.

import {arch, platform as osPlatform} from 'node:os'

import {mightBeWsl} from '../launcher/wsl.js'

import {binName, type CliManifests, type ManifestCommand, type PackageJson, pjsonTopics, readManifests} from '../oclif-manifests.js'
import {helpWidth} from './help-format.js'
import {type HelpCli, type HelpOptions, helpTarget, type HelpTopic, renderHelp, standardizeArgv, userAgent} from './help.js'
import {asksForHelp, beforeDoubleDash, helpFlags} from './help-request.js'
import {colorEnabled} from './terminal.js'

/** Our help class as package.json registers it; the launcher speaks for no other. */
export const HELP_CLASS = './dist/ui/help-class.js'

const HELP_PLUGIN = '@oclif/plugin-help'

/** Help options oclif would pass on from package.json that the renderer honours. */
const RENDERED_OPTIONS = new Set([
  'all',
  'maxWidth',
  'stripAnsi',
  'respectNoCacheDefault',
  'usageHeader',
  'hideAliasesFromRoot',
  'hideCommandSummaryInDescription',
  'sections',
  'flagSortOrder',
  'docopts',
  'showFlagNameInTitle',
  'showFlagOptionsInTitle',
])

class Unanswerable extends Error {}

/**
 * The platform oclif names in its version line. oclif says `wsl` under WSL; rather than repeat its
 * detection, anything that looks like WSL is left to oclif (undefined).
 */
export function oclifPlatform(): string | undefined {
  return mightBeWsl() ? undefined : osPlatform()
}

/**
 * The commands and topics oclif's Config would hold after loading these manifests: commands in
 * plugin order plus an entry per alias; declared topics plus every prefix of a visible command id.
 * Throws Unanswerable where oclif would resolve a conflict or a lookup in ways not modelled here.
 */
export function cliFromManifests(pjson: PackageJson, manifests: CliManifests, platform: string): HelpCli {
  const commands = new Map<string, ManifestCommand>()
  const topics = new Map<string, HelpTopic>()
  const permutations = new Set<string>()
  const add = (command: ManifestCommand) => {
    // Two plugins with the same id: oclif picks one by plugin priority.
    if (commands.has(command.id)) throw new Unanswerable(`${command.id} is defined twice`)
    commands.set(command.id, command)
  }

  for (const plugin of manifests.plugins) {
    const own = Object.values(plugin.manifest.commands ?? {})
      .map((command): ManifestCommand => ({...command, pluginType: command.pluginType === 'jit' ? 'jit' : 'core'}))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    for (const command of own) {
      add(command)
      for (const permutation of [...(command.permutations ?? []), ...(command.aliasPermutations ?? [])]) permutations.add(permutation)
      for (const alias of command.aliases ?? []) add({...command, hidden: false, id: alias.replaceAll(' ', ':')})
      for (const alias of command.hiddenAliases ?? []) add({...command, hidden: true, id: alias.replaceAll(' ', ':')})
    }

    for (const topic of pjsonTopics(plugin.pjson)) {
      const existing = topics.get(topic.name)
      if (existing) {
        existing.description = topic.description || existing.description
        existing.hidden = existing.hidden || topic.hidden
      } else {
        topics.set(topic.name, {...topic})
      }
    }

    for (const command of own.filter((c) => !c.hidden)) {
      const parts = command.id.split(':')
      for (let n = parts.length; n > 0; n--) {
        const name = parts.slice(0, n).join(':')
        if (name && !topics.has(name)) topics.set(name, {name, description: command.summary || command.description})
      }
    }
  }

  const states = new Map(manifests.plugins.map((plugin) => [plugin.name, plugin.pjson.oclif.state]))
  return {
    bin: binName(pjson),
    topicSeparator: pjson.oclif.topicSeparator === ' ' ? ' ' : ':',
    userAgent: userAgent(pjson.name ?? '', pjson.version || '0.0.0', platform, arch()),
    description: pjson.oclif.description || pjson.description,
    state: pjson.oclif.state,
    platform,
    commands: [...commands.values()],
    topics: [...topics.values()],
    findCommand(id) {
      const command = commands.get(id)
      // Another order of a command's words: oclif would find that command (flexible taxonomy).
      if (!command && permutations.has(id)) throw new Unanswerable(`${id} is a permutation`)
      return command
    },
    findTopic: (name) => topics.get(name),
    pluginState: (name) => (name === undefined ? undefined : states.get(name)),
  }
}

/** Configuration under which oclif would do more than print help, or print it differently. */
function unsupportedConfig(pjson: PackageJson, manifests: CliManifests): boolean {
  const oclif = pjson.oclif
  const hooks = manifests.plugins.map((plugin) => plugin.pjson.oclif.hooks as Record<string, unknown> | undefined)
  if (hooks.some((h) => h?.init || h?.finally)) return true
  if (oclif.flexibleTaxonomy || (typeof oclif.commands === 'object' && (oclif.commands as {strategy?: string})?.strategy === 'single')) return true
  if (oclif.helpClass !== undefined && oclif.helpClass !== HELP_CLASS) return true
  if (manifests.plugins.some((plugin) => Array.isArray(plugin.pjson.oclif.topics))) return true
  return false
}

function packageHelpOptions(pjson: PackageJson): Partial<HelpOptions> {
  const options = (pjson.oclif.helpOptions ?? (pjson as {helpOptions?: unknown}).helpOptions ?? {}) as Record<string, unknown>
  if (Object.keys(options).some((key) => !RENDERED_OPTIONS.has(key))) throw new Unanswerable('help options')
  return options as Partial<HelpOptions>
}

export interface LaunchOptions {
  /** The platform for the version line; by default the OS's, and nothing when it might be WSL. */
  platform?: string
  /** Where the help will be written: decides width and colour. */
  stdout?: Pick<NodeJS.WriteStream, 'isTTY' | 'getWindowSize'>
}

function answer(root: string, pjson: PackageJson, argv: readonly string[], env: NodeJS.ProcessEnv, options: LaunchOptions): string | undefined {
  const flags = helpFlags(pjson)
  const helpRequest = asksForHelp(argv, pjson)
  // Otherwise only `help …` or a bare topic is help, and neither starts with a flag (`--version` does).
  if (!helpRequest && argv[0].startsWith('-')) return undefined
  if (process.platform === 'win32') return undefined // oclif asks the parent process which shell it is
  const manifests = readManifests(root, pjson)
  if (!manifests || manifests.missing.length > 0 || manifests.plugins.some((plugin) => !plugin.current)) return undefined
  if (unsupportedConfig(pjson, manifests)) return undefined
  const platform = options.platform ?? oclifPlatform()
  const cli = cliFromManifests(pjson, manifests, platform ?? 'unknown')

  let words: readonly string[] = argv
  let helpOptions: Partial<HelpOptions>
  if (helpRequest) {
    helpOptions = packageHelpOptions(pjson)
  } else {
    // As oclif's main: the leading words name a command or, failing that, a topic.
    const [id, ...rest] = cli.topicSeparator === ' ' && !argv[0].includes(':') ? standardizeArgv(cli, argv) : argv
    const command = cli.findCommand(id)
    if (command) {
      if (command.id !== 'help' || command.pluginName !== HELP_PLUGIN) return undefined
      // plugin-help's own command: its arguments name the subject; -n lists nested and hidden commands too.
      const subject: string[] = []
      let all = false
      for (const arg of rest) {
        if (arg === '-n' || arg === '--nested-commands') all = true
        else if (arg.startsWith('-')) return undefined
        else subject.push(arg)
      }

      words = subject
      helpOptions = {all}
    } else if (cli.findTopic(id)) {
      words = [id]
      helpOptions = packageHelpOptions(pjson)
    } else {
      return undefined
    }
  }

  const target = helpTarget(cli, words, flags)
  if (target.kind === 'unknown') return undefined
  if (target.kind === 'command' && target.command.hasDynamicHelp && target.command.pluginType !== 'jit') return undefined
  if (target.kind === 'root' && !platform) return undefined
  const stdout = options.stdout ?? process.stdout
  const color = colorEnabled(stdout as NodeJS.WriteStream, env) && !beforeDoubleDash(argv).includes('--json')
  return renderHelp(cli, target, {maxWidth: helpWidth(env, stdout), color, ...helpOptions})
}

/**
 * The complete text oclif would print for this command line when it is a help request that the
 * manifests answer (trailing blank lines included), else undefined: then run oclif as usual.
 * `argv` is what follows the program name.
 */
export function helpFromManifests(root: string, pjson: PackageJson, argv: readonly string[], env: NodeJS.ProcessEnv = process.env, options: LaunchOptions = {}): string | undefined {
  try {
    return answer(root, pjson, argv, env, options)
  } catch {
    // Unanswerable, an unsupported template, a malformed manifest: oclif will know what to do.
    return undefined
  }
}
