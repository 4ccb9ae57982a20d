// The help screens: root (`toolforge`, `toolforge --help`), topic (`toolforge jobs`) and command
// (`toolforge jobs list --help`), and which of them a help request asks for. Pure functions over
// manifest-shaped data, so the same text comes from the launcher (manifests read from disk, no
// oclif) and from oclif's own help paths (src/ui/help-class.ts). They reproduce @oclif/core 4's
// default Help class byte for byte, which test/ui/help-oracle.test.ts checks.

import type {ManifestCommand} from '../oclif-manifests.js'
import {commandSections, type CommandContext, type HelpOptions} from './help-command.js'
import {type FormatContext, type ListRow, renderList, section, stripAnsi, wrap} from './help-format.js'

export type {HelpOptions} from './help-command.js'

export interface HelpTopic {
  name: string
  description?: string
  hidden?: boolean
}

/** The CLI as oclif's Config presents it to Help. */
export interface HelpCli {
  bin: string
  /** package.json `oclif.topicSeparator`: `' '` here, oclif's default is `':'`. */
  topicSeparator: string
  /** `<name>/<version> <platform>-<arch> node-<version>` (see userAgent). */
  userAgent: string
  /** package.json `oclif.description`, else its `description`. */
  description?: string
  /** package.json `oclif.state` (`beta`, `deprecated`, …). */
  state?: string
  platform: string
  shell?: string
  /** Every command, and one entry per alias with the alias as its id (as in oclif's `config.commands`). */
  commands: readonly ManifestCommand[]
  /** Declared topics and every prefix of a visible command id (as in oclif's `config.topics`). */
  topics: readonly HelpTopic[]
  findCommand(id: string): ManifestCommand | undefined
  findTopic(name: string): HelpTopic | undefined
  /** `oclif.state` of the plugin a command comes from. */
  pluginState?(pluginName: string | undefined): string | undefined
}

/** Thrown for help text with a template other than `<%= config.bin %>` and `<%= command.id %>`. */
export class UnsupportedHelpText extends Error {}

const TEMPLATE = /<%([=-])\s*(config\.bin|command\.id)\s*%>/g
const HTML_ESCAPES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;'}

/**
 * What oclif's EJS rendering does for the two templates help texts use. `commandId` is unset where
 * oclif has no command in scope (summaries in lists, topic and root texts): there it throws too.
 */
export function templateRenderer(bin: string, commandId?: string): (text: string) => string {
  return (text) => {
    const rendered = text.replaceAll(TEMPLATE, (tag, kind: string, name: string) => {
      if (name === 'command.id' && commandId === undefined) throw new UnsupportedHelpText(`${tag} outside a command's help`)
      const value = name === 'config.bin' ? bin : (commandId as string)
      return kind === '=' ? value.replaceAll(/[&<>"']/g, (c) => HTML_ESCAPES[c]) : value
    })
    if (rendered.includes('<%') || rendered.includes('%>')) throw new UnsupportedHelpText(`unsupported template in ${JSON.stringify(text)}`)
    return rendered
  }
}

export function userAgent(name: string, version: string, platform: string, arch: string, nodeVersion = process.version): string {
  return `${name}/${version} ${platform}-${arch === 'ia32' ? 'x86' : arch} node-${nodeVersion}`
}

function displayId(cli: HelpCli, id: string): string {
  return cli.topicSeparator === ':' ? id : id.replaceAll(':', cli.topicSeparator)
}

function formatContext(cli: HelpCli, opts: HelpOptions, commandId?: string): FormatContext {
  return {maxWidth: opts.maxWidth, color: opts.color && !opts.stripAnsi, stripAnsi: Boolean(opts.stripAnsi), render: templateRenderer(cli.bin, commandId)}
}

function commandContext(cli: HelpCli): CommandContext {
  return {
    bin: cli.bin,
    platform: cli.platform,
    shell: cli.shell,
    displayId: (id) => displayId(cli, id),
    standardId: (id) => id.replaceAll(new RegExp(cli.topicSeparator, 'g'), ':'),
  }
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Sorted, and of entries with the same key the last one kept, as oclif's sortBy/uniqBy do. */
function sortedUnique<T>(items: readonly T[], key: (item: T) => string): T[] {
  const sorted = [...items].sort((a, b) => byString(key(a), key(b)))
  return sorted.filter((item, i) => !sorted.some((other, j) => j > i && key(other) === key(item)))
}

function sortedCommands(cli: HelpCli, opts: HelpOptions): ManifestCommand[] {
  return sortedUnique(
    cli.commands.filter((command) => opts.all || !command.hidden),
    (command) => command.id,
  )
}

/** Only topics with sub-topics count as topics in listings; the others are commands. */
function sortedTopics(cli: HelpCli, opts: HelpOptions): HelpTopic[] {
  const parents = cli.topics.filter((topic) => cli.topics.some((other) => other.name.includes(`${topic.name}:`)))
  return sortedUnique(
    parents.filter((topic) => opts.all || !topic.hidden),
    (topic) => topic.name,
  )
}

function children<T>(items: readonly T[], parent: string, name: (item: T) => string): T[] {
  const depth = parent.split(':').length + 1
  return items.filter((item) => name(item).startsWith(parent + ':') && name(item).split(':').length === depth)
}

function commandSummary(ctx: FormatContext, command: ManifestCommand, opts: HelpOptions): string | undefined {
  if (opts.sections && !opts.sections.map((name) => name.toLowerCase()).includes('summary')) return undefined
  if (command.summary) return ctx.render(command.summary.split('\n')[0])
  return command.description && ctx.render(command.description).split('\n')[0]
}

function commandList(cli: HelpCli, commands: readonly ManifestCommand[], opts: HelpOptions): string {
  if (commands.length === 0) return ''
  const ctx = formatContext(cli, opts)
  const rows = commands
    .filter((command) => !opts.hideAliasesFromRoot || !command.aliases?.includes(command.id))
    .map((command): ListRow => {
      const summary = commandSummary(ctx, command, opts)
      return [displayId(cli, command.id), summary && stripAnsi(summary)]
    })
  return section(ctx, 'COMMANDS', renderList(ctx, rows, {indentation: 2, spacer: '\n', stripAnsi: opts.stripAnsi}))
}

function topicList(cli: HelpCli, topics: readonly HelpTopic[], opts: HelpOptions): string {
  if (topics.length === 0) return ''
  const ctx = formatContext(cli, opts)
  const rows = topics.map((topic): ListRow => [displayId(cli, topic.name), topic.description && ctx.render(topic.description.split('\n')[0])])
  return section(ctx, 'TOPICS', renderList(ctx, rows, {indentation: 2, spacer: '\n', stripAnsi: opts.stripAnsi}))
}

function deprecationWarning(command: string, opts: ManifestCommand['deprecationOptions']): string {
  const message = `The "${command}" command has been deprecated`
  if (!opts) return `${message}.`
  if (opts.message) return opts.message
  const removal = opts.version ? ` and will be removed in version ${opts.version}` : ''
  return message + removal + (opts.to ? `. Use "${opts.to}" instead.` : '.')
}

/** Lines as oclif's Help prints them: each piece followed by a newline. */
function lines(pieces: readonly string[]): string {
  return pieces.map((piece) => piece + '\n').join('')
}

/** What `formatCommand` of oclif's Help returns: the sections of a command's help (also README.md's reference). */
export function formatCommand(cli: HelpCli, command: ManifestCommand, opts: HelpOptions): string {
  return commandSections(formatContext(cli, opts, displayId(cli, command.id)), commandContext(cli), command, opts)
}

/** `toolforge <command…> --help`: state notes, summary, sections, then any sub-topics and sub-commands. */
export function commandHelp(cli: HelpCli, command: ManifestCommand, opts: HelpOptions): string {
  const name = command.id
  const out: string[] = []
  const state = cli.state || cli.pluginState?.(command.pluginName) || command.state
  if (state) out.push(state === 'deprecated' ? `${deprecationWarning(displayId(cli, name), command.deprecationOptions)}\n` : `This command is in ${state}.\n`)
  const aliasesOf = (c: ManifestCommand) => [...(c.aliases ?? []), ...(c.hiddenAliases ?? [])]
  if (command.deprecateAliases && aliasesOf(command).includes(name)) {
    const actual = cli.commands.find((c) => aliasesOf(c).includes(name))
    const to = actual ? {to: displayId(cli, actual.id)} : {}
    out.push(`${deprecationWarning(displayId(cli, name), {...command.deprecationOptions, ...to})}\n`)
  }

  const summary = commandSummary(formatContext(cli, opts), command, opts)
  if (summary) out.push(summary + '\n')
  out.push(formatCommand(cli, command, opts), '')
  const subTopics = children(sortedTopics(cli, opts), name, (topic) => topic.name)
  if (subTopics.length > 0) out.push(topicList(cli, subTopics, opts), '')
  const subCommands = children(sortedCommands(cli, opts), name, (c) => c.id)
  if (subCommands.length > 0) {
    // An alias listed before the command it stands for is still shown; later ones are not.
    const aliases: string[] = []
    const unique = subCommands.filter((c) => {
      aliases.push(...(c.aliases ?? []))
      return !aliases.includes(c.id)
    })
    out.push(commandList(cli, unique, opts), '')
  }

  return lines(out)
}

/** `toolforge jobs`: the topic's summary, usage and description, then its sub-topics and commands. */
export function topicHelp(cli: HelpCli, topic: HelpTopic, opts: HelpOptions): string {
  const ctx = formatContext(cli, opts)
  const [summary, ...rest] = ctx.render(topic.description || '').split('\n')
  const description = rest.join('\n')
  const usage = section(ctx, opts.usageHeader || 'USAGE', `$ ${cli.bin} ${displayId(cli, `${topic.name}:COMMAND`)}`)
  const body = [summary, usage, description && section(ctx, 'DESCRIPTION', wrap(ctx, description))].filter(Boolean).join('\n\n')
  const out: string[] = []
  if (cli.state) out.push(`This topic is in ${cli.state}.\n`)
  out.push((opts.stripAnsi ? stripAnsi(body) : body) + '\n')
  const subTopics = children(sortedTopics(cli, opts), topic.name, (t) => t.name)
  if (subTopics.length > 0) out.push(topicList(cli, subTopics, opts), '')
  const commands = children(sortedCommands(cli, opts), topic.name, (c) => c.id)
  if (commands.length > 0) out.push(commandList(cli, commands, opts), '')
  return lines(out)
}

/** `toolforge` and `toolforge --help`: description, version, usage, then the top-level topics and commands. */
export function rootHelp(cli: HelpCli, opts: HelpOptions): string {
  const ctx = formatContext(cli, opts)
  const [summary, ...rest] = ctx.render(cli.description || '').split('\n')
  const description = rest.join('\n')
  const head = [
    summary,
    section(ctx, 'VERSION', wrap(ctx, cli.userAgent)),
    section(ctx, opts.usageHeader || 'USAGE', wrap(ctx, `$ ${cli.bin} [COMMAND]`)),
    description && section(ctx, 'DESCRIPTION', wrap(ctx, description)),
  ]
    .filter(Boolean)
    .join('\n\n')
  const out: string[] = []
  if (cli.state) out.push(cli.state === 'deprecated' ? `${cli.bin} is deprecated` : `${cli.bin} is in ${cli.state}.\n`)
  out.push(opts.stripAnsi ? stripAnsi(head) : head, '')
  const nested = (name: string) => !opts.all && name.includes(':')
  const topics = sortedTopics(cli, opts).filter((topic) => !nested(topic.name))
  if (topics.length > 0) out.push(topicList(cli, topics, opts), '')
  const commands = sortedCommands(cli, opts).filter((command) => !nested(command.id))
  if (commands.length > 0) out.push(commandList(cli, commands.filter((command) => command.id), opts), '')
  return lines(out)
}

export type HelpTarget =
  | {kind: 'root'}
  | {kind: 'command'; command: ManifestCommand}
  | {kind: 'topic'; topic: HelpTopic}
  | {kind: 'unknown'; subject: string}

/** Every id a user could type on the way to a command: `jobs`, `jobs:list`. */
function usableIds(cli: HelpCli): Set<string> {
  return new Set(cli.commands.flatMap((c) => c.id.split(':').map((_, i, parts) => parts.slice(0, i + 1).join(':'))))
}

/**
 * With a space separator, the leading words that name a command become its id: `jobs list x` →
 * `jobs:list x`. Words stop counting at a flag, a `name=value`, or once the command so far takes
 * arguments.
 */
export function standardizeArgv(cli: HelpCli, argv: readonly string[]): string[] {
  if (argv.length === 0) return []
  if (cli.topicSeparator !== ' ' || argv.length === 1) return [...argv]
  const ids = usableIds(cli)
  const words: string[] = []
  const idWith = (word?: string) => (word ? [...words, word] : words).filter(Boolean).join(':')
  const takesArgs = () => {
    const id = idWith()
    const command = id ? cli.findCommand(id) : undefined
    return Boolean(command && (command.strict === false || Object.keys(command.args ?? {}).length > 0))
  }

  for (const arg of argv) {
    if (ids.has(idWith(arg))) words.push(arg)
    else if (arg.includes('=') || arg.startsWith('-') || takesArgs()) break
    else words.push(arg)
  }

  const id = idWith()
  return id ? [id, ...argv.slice(id.split(':').length)] : [...argv]
}

/** What oclif's Help.showHelp(argv) shows for a help request's words (help flags included or not). */
export function helpTarget(cli: HelpCli, argv: readonly string[], helpFlags: readonly string[]): HelpTarget {
  const words = standardizeArgv(
    cli,
    argv.filter((arg) => !helpFlags.includes(arg)),
  )
  let subject: string | undefined
  for (const word of words) {
    if (word === '--') break
    if (helpFlags.includes(word) || word === 'help') continue
    if (!word.startsWith('-')) subject = word
    break
  }

  if (!subject) return {kind: 'root'}
  const command = cli.findCommand(subject)
  if (command) return {kind: 'command', command}
  const topic = cli.findTopic(subject)
  if (topic) return {kind: 'topic', topic}
  return {kind: 'unknown', subject}
}

/** The complete text oclif prints for a help target. */
export function renderHelp(cli: HelpCli, target: Exclude<HelpTarget, {kind: 'unknown'}>, opts: HelpOptions): string {
  if (target.kind === 'root') return rootHelp(cli, opts)
  if (target.kind === 'topic') return topicHelp(cli, target.topic, opts)
  return commandHelp(cli, target.command, opts)
}
