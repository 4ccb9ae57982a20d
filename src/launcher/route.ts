// What bin/run.js decides first, on every run, from argv, package.json and our manifest alone.
// Built as its own small CommonJS file (dist/launcher/route.cjs): a command pays only for this
// before oclif starts, not for the help renderer or the completion engine.

import {arch, platform} from 'node:os'

import {type ManifestCommand, readManifest} from '../oclif-manifests.js'
import {mayBeHelp, type HelpPackageJson} from '../ui/help-request.js'
import {mightBeWsl} from './wsl.js'

/** The parts of package.json oclif's version line is made of. */
export interface VersionPackageJson {
  name?: string
  version?: string
  oclif: {additionalVersionFlags?: string[]; hooks?: Record<string, unknown>}
}

/**
 * oclif's answer to `--version` (`<name>/<version> <platform>-<arch> node-<version>`) when it can
 * be given identically without oclif: not for an init hook (oclif runs it first), nor on anything
 * that may be WSL (oclif then says platform `wsl`).
 */
export function versionLine(pjson: VersionPackageJson, argv: readonly string[]): string | undefined {
  const versionFlags = ['--version', ...(pjson.oclif.additionalVersionFlags ?? [])]
  if (!versionFlags.includes(argv[0]) || pjson.oclif.hooks?.init || mightBeWsl()) return undefined
  const cpu = arch() === 'ia32' ? 'x86' : arch()
  return `${pjson.name}/${pjson.version} ${platform()}-${cpu} node-${process.version}`
}

/**
 * Options upstream takes before the command: the umbrella's `-d/--debug` and `-v/--verbose`
 * (`toolforge --debug jobs list`), and the topic's own group options (`toolforge build -d list`;
 * the jobs CLI has only `--debug`). Upstream hands them on as TOOLFORGE_DEBUG / TOOLFORGE_VERBOSE,
 * which is where our commands read them too.
 */
const UMBRELLA_OPTIONS = ['-d', '--debug', '-v', '--verbose']
const TOPIC_OPTIONS: Record<string, string[]> = {jobs: ['--debug'], build: UMBRELLA_OPTIONS, envvars: UMBRELLA_OPTIONS}

/**
 * argv without the options upstream accepts before the command, which are applied to `env` instead.
 * A lone `-v` is still `--version` (oclif's additional version flag): an option needs a command after it.
 */
export function applyLeadingOptions(argv: readonly string[], env: NodeJS.ProcessEnv): string[] {
  if (argv[0] === '__complete') return [...argv]
  const rest = [...argv]
  const take = (index: number, allowed: readonly string[]) => {
    while (rest.length > index + 1 && allowed.includes(rest[index])) {
      const [option] = rest.splice(index, 1)
      if (option === '-d' || option === '--debug') env.TOOLFORGE_DEBUG = '1'
      else env.TOOLFORGE_VERBOSE = '1'
    }
  }

  take(0, UMBRELLA_OPTIONS)
  const topicOptions = TOPIC_OPTIONS[rest[0]]
  if (topicOptions) take(1, topicOptions)
  return rest
}

/**
 * The id of one of this CLI's own commands named by argv's leading words (`jobs list -o long` →
 * `jobs:list`), resolved as oclif does with a space topic separator: the longest run of leading
 * words that is a command id. Words after the first flag are never part of the id.
 */
export function ownCommandId(argv: readonly string[], commandIds: ReadonlySet<string>): string | undefined {
  const words: string[] = []
  for (const arg of argv) {
    if (arg.startsWith('-')) break
    words.push(arg)
  }

  for (let n = words.length; n > 0; n--) {
    const id = words.slice(0, n).join(':')
    if (commandIds.has(id)) return id
  }

  return undefined
}

/**
 * oclif load options for running one of our own commands. oclif would otherwise load the help,
 * autocomplete and not-found plugins on every run (~15 ms): none of them has a hook that runs
 * around another plugin's command, and `help`/`autocomplete` themselves, or a mistyped command,
 * are not our own ids, so they still take the full path.
 */
export function rootOnlyLoadOptions<P extends {oclif: object}>(root: string, pjson: P): {root: string; pjson: P; userPlugins: false; devPlugins: false} {
  return {root, pjson: {...pjson, oclif: {...pjson.oclif, plugins: []}}, userPlugins: false, devPlugins: false}
}

/**
 * oclif reads a word after a command that takes no arguments as part of a longer command id
 * (`jobs list extra` → "command jobs:list:extra not found", exit 1, never as JSON). Moved behind
 * `--`, the words reach the command as arguments, which it refuses as a usage error (exit 2, as
 * argparse's "unrecognized arguments"), under --json as JSON too. Flags keep their place.
 */
export function strayWordsAsArguments(argv: readonly string[], id: string, command: Pick<ManifestCommand, 'args' | 'strict'>): string[] {
  const idWords = id.split(':').length
  if (command.strict === false || Object.keys(command.args ?? {}).length > 0) return [...argv]
  let end = idWords
  while (end < argv.length && !argv[end].startsWith('-')) end++
  if (end === idWords) return [...argv]
  const stray = argv.slice(idWords, end)
  const rest = argv.slice(end)
  const dashDash = rest.indexOf('--')
  if (dashDash === -1) return [...argv.slice(0, idWords), ...rest, '--', ...stray]
  return [...argv.slice(0, idWords), ...rest.slice(0, dashDash + 1), ...stray, ...rest.slice(dashDash + 1)]
}

export type Route<P extends {oclif: object}> =
  /** A shell's completion request: answered from the manifests (src/launcher/fast.ts). */
  | {kind: 'complete'}
  /** Probably a help request: the manifests may answer it (src/launcher/fast.ts), else oclif. */
  | {kind: 'help'}
  /** One of our own commands: oclif runs it with these options, on this argv. */
  | {kind: 'own'; loadOptions: ReturnType<typeof rootOnlyLoadOptions<P>>; argv: string[]}
  /** A command line that would be misread: refused as a usage error (exit 2) before oclif starts. */
  | {kind: 'usage'; message: string}
  /** Everything else (plugin commands, typos, no build): oclif as configured. */
  | {kind: 'oclif'}

export function route<P extends {oclif: {bin?: string}} & HelpPackageJson>(root: string, pjson: P, argv: readonly string[]): Route<P> {
  if (argv[0] === '__complete' && argv[1] === '--') return {kind: 'complete'}
  if (mayBeHelp(argv, pjson)) return {kind: 'help'}
  const commands = readManifest(root)?.commands
  const id = commands && ownCommandId(argv, new Set(Object.keys(commands)))
  if (id) return {kind: 'own', loadOptions: rootOnlyLoadOptions(root, pjson), argv: strayWordsAsArguments(argv, id, commands[id])}
  const misplaced = commands && misplacedOption(argv, Object.keys(commands), pjson.oclif.bin ?? 'toolforge')
  if (misplaced) return {kind: 'usage', message: misplaced}
  return {kind: 'oclif'}
}

/**
 * An option between a topic and its command (`jobs --json list`) would make oclif show the topic's
 * help and exit 0, so a script would take a command that never ran for a success. Upstream's parsers
 * refuse such an option (exit 2); so do we, saying where it goes.
 */
export function misplacedOption(argv: readonly string[], commandIds: readonly string[], bin: string): string | undefined {
  const [topic, option] = argv
  if (topic === undefined || option === undefined || !option.startsWith('-') || option === '--') return undefined
  if (commandIds.includes(topic) || !commandIds.some((id) => id.startsWith(`${topic}:`))) return undefined
  const name = option.split('=')[0]
  return `${name} goes after the command: ${bin} ${topic} <command> ${name} … (see '${bin} ${topic} --help')`
}
