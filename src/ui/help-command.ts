// The body of one command's help (USAGE, ARGUMENTS, FLAGS, DESCRIPTION, ALIASES, EXAMPLES, FLAG
// DESCRIPTIONS), from the command's manifest entry, laid out as @oclif/core 4's CommandHelp does.

import type {ManifestArg, ManifestCommand, ManifestExample, ManifestFlag} from '../oclif-manifests.js'
import {type FormatContext, indent, type ListRow, section, stripAnsi, underline, wrap} from './help-format.js'

/** The HelpOptions of oclif that change what the help says; see @oclif/core's Interfaces.HelpOptions. */
export interface HelpOptions {
  maxWidth: number
  /** Bold headers, underlined flag values. */
  color: boolean
  /** List hidden commands and nested topics too (`help --nested-commands`). */
  all?: boolean
  stripAnsi?: boolean
  respectNoCacheDefault?: boolean
  usageHeader?: string
  hideAliasesFromRoot?: boolean
  hideCommandSummaryInDescription?: boolean
  /** Only these sections (by header, case-insensitive); `summary` keeps command summaries. */
  sections?: readonly string[]
  flagSortOrder?: 'alphabetical' | 'none'
  docopts?: boolean
  showFlagNameInTitle?: boolean
  showFlagOptionsInTitle?: boolean
}

/** What a command's help needs to know about the CLI around it. */
export interface CommandContext {
  bin: string
  /** `process.platform` as oclif reports it (`win32` changes the line continuation in examples). */
  platform: string
  shell?: string
  /** The command id as it is shown, e.g. `jobs list`. */
  displayId: (id: string) => string
  /** The same id with the standard separator, e.g. `jobs:list`. */
  standardId: (id: string) => string
}

const LINE_BREAK = /\r\n|\n/

type NamedFlag = ManifestFlag & {name: string}

function castArray<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return []
  return Array.isArray(value) ? (value as readonly T[]) : [value as T]
}

/** Manifest args are an object keyed by name; very old commands declared an array. */
export function commandArgs(command: ManifestCommand): ManifestArg[] {
  const args = command.args as Record<string, ManifestArg> | readonly ManifestArg[] | undefined
  if (Array.isArray(args)) return Object.values(Object.fromEntries(args.map((arg: ManifestArg) => [arg.name, arg])))
  return Object.values(args ?? {})
}

function argSuffix(command: ManifestCommand, arg: ManifestArg): string {
  return arg.multiple || command.strict === false ? '...' : ''
}

/** The value placeholder of an option flag: its helpValue, its options, its name or `<value>`. */
function valueLabel(flag: NamedFlag, showName: boolean, showOptions: boolean): string {
  if (flag.type !== 'option') return ''
  let values: readonly string[]
  if (flag.helpValue) values = castArray(flag.helpValue)
  else if (flag.options) values = [showOptions ? flag.options.join('|') : '<option>']
  else if (showName) values = [flag.name]
  else values = ['<value>']
  return values.map((value) => `${value}${flag.multiple ? '...' : ''}`).join(' ')
}

function flagLabel(ctx: FormatContext, flag: NamedFlag, opts: HelpOptions, showOptions = false): string {
  let label = flag.helpLabel
  if (!label) {
    const parts = [flag.char ? `-${flag.char[0]}` : '  ']
    if (flag.name) parts.push(flag.type === 'boolean' && flag.allowNo ? `--[no-]${flag.name.trim()}` : `--${flag.name.trim()}`)
    label = parts.join(flag.char ? ', ' : '  ')
  }

  if (flag.type === 'option') {
    let value = valueLabel(flag, opts.showFlagNameInTitle ?? false, opts.showFlagOptionsInTitle ?? showOptions)
    if (!value.includes('|')) value = underline(ctx, value)
    label += `=${value}`
  }

  return label
}

/**
 * The docopt-style synopsis: arguments, then required flags before optional ones, with flags that
 * depend on or exclude each other grouped, `(…)` when the group is required and `[…]` when not.
 */
function synopsis(command: ManifestCommand): string {
  const parts = ['<%= command.id %>']
  if (command.args) {
    for (const arg of commandArgs(command).filter((a) => !a.hidden)) {
      const name = `${arg.name.toUpperCase()}${argSuffix(command, arg)}`
      parts.push(arg.required ? name : `[${name}]`)
    }
  }

  // Both maps lose entries as flags are merged into groups; insertion order is the output order.
  const pending: Record<string, ManifestFlag> = {}
  const shown = Object.entries(command.flags ?? {})
    .filter(([, flag]) => !flag.hidden)
    .map(([name, flag]) => {
      pending[name] = flag
      return {...flag, name}
    })
  const elements: Record<string, string> = {}
  for (const flag of [...shown.filter((f) => f.required), ...shown.filter((f) => !f.required)]) {
    const type = flag.type === 'option' ? ` ${valueLabel(flag, false, true)}` : ''
    elements[flag.name] = `${flag.char ? `-${flag.char}` : `--${flag.name}`}${type}`
  }

  const group = (name: string, others: readonly string[], union: string) => {
    if (!pending[name]) return
    let required = pending[name].required
    if (typeof required !== 'boolean' || !required) required = others.some((other) => pending[other]?.required)
    for (const other of others) {
      elements[name] = `${elements[name] || ''}${union}${elements[other] || ''}`
      delete elements[other]
      delete pending[other]
    }

    elements[name] = required ? `(${elements[name] || ''})` : `[${elements[name] || ''}]`
    delete pending[name]
  }

  for (const flag of shown) {
    if (Array.isArray(flag.dependsOn)) group(flag.name, flag.dependsOn, ' ')
    let exclusive: Set<string> | undefined
    if (Array.isArray(flag.exclusive)) exclusive = new Set(flag.exclusive)
    if (Array.isArray(flag.combinable)) {
      const combinable = new Set(flag.combinable)
      exclusive ??= new Set()
      for (const other of shown) if (other !== flag && !combinable.has(other.name)) exclusive.add(other.name)
    }

    if (exclusive && exclusive.size > 0) group(flag.name, [...exclusive], ' | ')
  }

  for (const flag of Object.values(pending)) {
    if (!flag.required) elements[flag.name] = `[${elements[flag.name] || ''}]`
  }

  return [...parts, ...Object.values(elements)].join(' ')
}

function usage(ctx: FormatContext, cli: CommandContext, command: ManifestCommand, opts: HelpOptions): string {
  const id = cli.displayId(command.id)
  const standard = new RegExp(`^${cli.standardId(id)}`)
  const configured = new RegExp(`^${id}`)
  const args = commandArgs(command).filter((arg) => !arg.hidden)
  const fallback =
    opts.docopts === undefined || opts.docopts
      ? synopsis(command)
      : [id, args.map((arg) => (arg.required ? arg.name.toUpperCase() : `[${arg.name.toUpperCase()}]`)).join(' ')].filter(Boolean).join(' ')
  return (command.usage ? castArray(command.usage) : [fallback])
    .map((text) => {
      // Measured with the template still in it, as oclif does; it is rendered with the section.
      const room = ctx.maxWidth - 2
      const rest = text.replace('<%= command.id %>', '').replace(standard, '').replace(configured, '').trim()
      const line = `$ ${cli.bin} <%= command.id %> ${rest}`.trim()
      if (line.length <= room) return wrap(ctx, line)
      const split = line.slice(0, Math.max(0, room)).lastIndexOf(' ')
      return line.slice(0, Math.max(0, split)) + '\n' + indent(wrap(ctx, line.slice(Math.max(0, split)), 4))
    })
    .join('\n')
}

function argRows(command: ManifestCommand, args: readonly ManifestArg[]): ListRow[] | undefined {
  if (!args.some((arg) => arg.description)) return undefined
  return args.map((arg) => {
    const name = `${arg.name.toUpperCase()}${argSuffix(command, arg)}`
    let description = arg.description || ''
    if (arg.default) description = `[default: ${arg.default}] ${description}`
    if (arg.options) description = `(${arg.options.join('|')}) ${description}`
    return [arg.required ? name : `[${name}]`, description || undefined]
  })
}

function flagRows(ctx: FormatContext, flags: readonly NamedFlag[], opts: HelpOptions): ListRow[] | undefined {
  if (flags.length === 0) return undefined
  const noChar = flags.every((flag) => flag.char === undefined)
  return flags.map((flag) => {
    let left = flagLabel(ctx, flag, opts)
    if (noChar) left = left.replace('    ', '')
    let right = flag.summary || flag.description || ''
    const metadata: string[] = []
    const showDefault = !(opts.respectNoCacheDefault === true && flag.noCacheDefault === true)
    if (flag.type === 'option' && flag.default && showDefault) metadata.push(`default: ${flag.default}`)
    if (flag.env) metadata.push(`env: ${flag.env}`)
    if (metadata.length > 0) right = `[${metadata.join(', ')}] ${right}`
    if (flag.required) right = `(required) ${right}`
    if (flag.type === 'option' && flag.options && !flag.helpValue && !opts.showFlagOptionsInTitle) right += `\n<options: ${flag.options.join('|')}>`
    return [left, right.trim()]
  })
}

function description(ctx: FormatContext, command: ManifestCommand, opts: HelpOptions): string | undefined {
  let lines: string[] | undefined
  if (opts.hideCommandSummaryInDescription) lines = [(command.description || '').split(LINE_BREAK).at(-1) ?? '']
  else if (command.description) {
    // The DESCRIPTION section repeats the summary, then a blank line.
    lines = [...(command.summary ? `${command.summary}\n`.split(LINE_BREAK) : []), ...command.description.split(LINE_BREAK)]
  }

  return lines && wrap(ctx, lines.join('\n'))
}

function examples(ctx: FormatContext, cli: CommandContext, list: readonly ManifestExample[]): string | undefined {
  if (list.length === 0) return undefined
  const asCommand = (example: string) => {
    const text = ctx.render(example)
    if (text.startsWith(cli.bin)) return `$ ${text}`
    if (text.startsWith(`$ ${cli.bin}`)) return `$${text.replace('$', '')}`
    return text
  }

  const isCommand = (example: string) => stripAnsi(asCommand(example)).startsWith(`$ ${cli.bin}`)
  const continuation = cli.platform === 'win32' ? (cli.shell?.includes('powershell') ? '`' : '^') : '\\'
  return list
    .map((example) => {
      let text: string
      let commands: readonly string[]
      if (typeof example === 'string') {
        const lines = example.split(LINE_BREAK).filter(Boolean)
        // `<description>\n<command>…` is laid out like the object form; anything else is printed as is.
        if (lines.length < 2 || isCommand(lines[0]) || !lines.slice(1).every(isCommand)) return lines.map(asCommand).join('\n')
        text = lines[0]
        commands = lines.slice(1)
      } else {
        text = example.description
        commands = [example.command]
      }

      const shown = commands.map((command) => indent(wrap(ctx, asCommand(command), 8)).split(LINE_BREAK).join(` ${continuation}\n  `)).join('\n')
      return `${wrap(ctx, text, 4)}\n\n${shown}`
    })
    .join('\n\n')
}

function flagDescriptions(ctx: FormatContext, flags: readonly NamedFlag[], opts: HelpOptions): string | undefined {
  const described = flags.filter((flag) => flag.summary && flag.description)
  if (described.length === 0) return undefined
  return described
    .map((flag) => {
      const summary = flag.summary || ''
      let title = flagLabel(ctx, flag, opts, true)
      if (!flag.char) title = title.replace('    ', '')
      // The title's length counts escape codes, as oclif's does.
      title += title.length + summary.length + 2 < ctx.maxWidth ? '  ' + summary : '\n\n' + indent(wrap(ctx, summary, 4))
      return `${title}\n\n${indent(wrap(ctx, flag.description || '', 4))}`
    })
    .join('\n\n')
}

function compareFlags(a: NamedFlag, b: NamedFlag): number {
  const byString = (x: string | undefined, y: string | undefined) => (x === undefined || y === undefined ? 0 : x < y ? -1 : x > y ? 1 : 0)
  return Number(!a.char) - Number(!b.char) || byString(a.char, b.char) || byString(a.name, b.name)
}

/**
 * A command's help sections, without the summary line and sub-command list that precede and follow
 * them on screen: what oclif's `formatCommand` returns (and `oclif readme` puts in README.md).
 * `ctx.render` must resolve `<%= command.id %>` to the displayed id.
 */
export function commandSections(ctx: FormatContext, cli: CommandContext, command: ManifestCommand, opts: HelpOptions): string {
  const visible = Object.entries(command.flags ?? {})
    .filter(([, flag]) => !flag.hidden)
    .map(([name, flag]): NamedFlag => ({...flag, name}))
  const flags = opts.flagSortOrder === 'none' ? visible : visible.sort(compareFlags)
  const args = commandArgs(command).filter((arg) => !arg.hidden)
  // A plain object, as in oclif: its key order (integer-like names first) is the order of the sections.
  const groups: Record<string, NamedFlag[]> = {}
  const main: NamedFlag[] = []
  for (const flag of flags) {
    if (flag.helpGroup) (groups[flag.helpGroup] ??= []).push(flag)
    else main.push(flag)
  }

  const titled = (header: string, body: string | readonly ListRow[] | undefined) => (body ? section(ctx, header, body) : '')
  const flagSections = () =>
    [titled('FLAGS', flagRows(ctx, main, opts)), ...Object.entries(groups).map(([name, group]) => titled(`${name.toUpperCase()} FLAGS`, flagRows(ctx, group, opts)))]
      .filter(Boolean)
      .join('\n\n')
  const sections: Array<[header: string, body: () => string]> = [
    [opts.usageHeader || 'USAGE', () => titled(opts.usageHeader || 'USAGE', usage(ctx, cli, command, opts))],
    ['ARGUMENTS', () => titled('ARGUMENTS', argRows(command, args))],
    ['FLAGS', flagSections],
    ['DESCRIPTION', () => titled('DESCRIPTION', description(ctx, command, opts))],
    ['ALIASES', () => titled('ALIASES', (command.aliases ?? []).map((alias) => `$ ${cli.bin} ${cli.displayId(alias)}`).join('\n'))],
    ['EXAMPLES', () => titled('EXAMPLES', examples(ctx, cli, castArray(command.examples || (command as {example?: ManifestExample}).example || undefined)))],
    ['FLAG DESCRIPTIONS', () => titled('FLAG DESCRIPTIONS', flagDescriptions(ctx, flags, opts))],
  ]
  const allowed = opts.sections?.map((name) => name.toLowerCase())
  return sections
    .filter(([header]) => !allowed || allowed.includes(header.toLowerCase()))
    .map(([, body]) => body())
    .filter(Boolean)
    .join('\n\n')
}
