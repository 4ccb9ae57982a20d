import {type CommandNode, type CommandTree, findFlag, isKnown} from './tree.js'
import {argSource, type CachedKind, catalogImages, flagSource, type ValueSource, webserviceWords} from './values.js'

export interface Candidate {
  value: string
  description?: string
}

/** `files`: nothing better to offer than the shell's own file name completion. */
export type Completion = {candidates: Candidate[]} | {files: true}

export interface CompletionSources {
  /** Values from the completion cache; `undefined` when the cache holds nothing for the kind yet. */
  cached(kind: CachedKind): readonly string[] | undefined
}

const NONE: Completion = {candidates: []}
const FILES: Completion = {files: true}
const HELP_FLAG: Candidate = {value: '--help', description: 'Show help for the command.'}

function byPrefix(candidates: Candidate[], prefix: string): Completion {
  return {candidates: candidates.filter((c) => c.value.startsWith(prefix))}
}

function plain(values: Iterable<string>): Candidate[] {
  return [...new Set(values)].map((value) => ({value}))
}

interface ParsedLine {
  /** Positional arguments before the current word, flag values excluded. */
  positionals: string[]
  usedFlags: Set<string>
  /** The option flag whose value the current word is, when the previous word asked for one. */
  pendingFlag?: string
  afterDoubleDash: boolean
}

function parseWords(node: CommandNode, words: readonly string[]): ParsedLine {
  const parsed: ParsedLine = {positionals: [], usedFlags: new Set(), afterDoubleDash: false}
  for (let i = 0; i < words.length; i++) {
    const word = words[i]
    if (parsed.afterDoubleDash) {
      parsed.positionals.push(word)
      continue
    }

    if (word === '--') {
      parsed.afterDoubleDash = true
      continue
    }

    if (word.startsWith('-') && word.length > 1) {
      const flag = findFlag(node, word)
      if (!flag) continue
      parsed.usedFlags.add(flag.name)
      const inline = word.startsWith('--') ? word.includes('=') : word.length > 2
      if (flag.type === 'option' && !inline) {
        // A value that looks like a flag is the next flag, not this one's value (`--wait --image x`).
        if (i + 1 === words.length) parsed.pendingFlag = flag.name
        else if (!words[i + 1].startsWith('-')) i++
      }

      continue
    }

    parsed.positionals.push(word)
  }

  return parsed
}

function sourceValues(source: ValueSource, sources: CompletionSources, positionals: readonly string[]): Candidate[] {
  if (source === 'webservice') return plain(webserviceWords(positionals))
  if ('static' in source) return plain(source.static)
  const values = sources.cached(source.cached)
  if (!values?.length && source.cached === 'images') return plain(catalogImages())
  return plain(values ?? [])
}

function flagValues(node: CommandNode, flagName: string, current: string, sources: CompletionSources, positionals: readonly string[]): Completion {
  const flag = node.flags.find((f) => f.name === flagName)
  if (!flag || flag.type !== 'option') return NONE
  const source: ValueSource | undefined = flag.options ? {static: flag.options} : flagSource(node.id, flag.name)
  if (!source) return FILES
  return byPrefix(sourceValues(source, sources, positionals), current)
}

// Code-unit order: names are ASCII, and a TAB should not pay ~8 ms for ICU's collator (localeCompare).
function byValue(a: Candidate, b: Candidate): number {
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0
}

function flagNames(node: CommandNode, used: Set<string>, current: string): Completion {
  const candidates: Candidate[] = node.flags
    .filter((flag) => flag.multiple || !used.has(flag.name))
    .map((flag) => ({value: `--${flag.name}`, description: flag.summary ?? (flag.description ?? '').split('\n')[0]}))
  if (!used.has('help')) candidates.push(HELP_FLAG)
  return byPrefix(candidates.sort(byValue), current)
}

function argValues(node: CommandNode, parsed: ParsedLine, current: string, sources: CompletionSources): Completion {
  const position = parsed.positionals.length
  const source = argSource(node.id, position)
  if (source) return byPrefix(sourceValues(source, sources, parsed.positionals), current)
  const arg = node.args[position]
  if (arg?.options) return byPrefix(plain(arg.options), current)
  if (!arg && node.strict) return NONE
  return FILES
}

function children(tree: CommandTree, parent: string, current: string): Candidate[] {
  const names = tree.children.get(parent)
  if (!names) return []
  return [...names]
    .map(([value, description]) => (description ? {value, description} : {value}))
    .filter((c) => c.value.startsWith(current))
    .sort(byValue)
}

/**
 * What may come at the end of `words` (the command line after the program name; the last word is
 * the one being completed, possibly empty). Pure: the cache is read through `sources`.
 */
export function complete(tree: CommandTree, words: readonly string[], sources: CompletionSources): Completion {
  const current = words.at(-1) ?? ''
  const before = words.slice(0, -1)

  // The command is the longest run of leading words that names a topic or command.
  let id = ''
  let consumed = 0
  while (consumed < before.length) {
    const next = id ? `${id}:${before[consumed]}` : before[consumed]
    if (before[consumed].startsWith('-') || !isKnown(tree, next)) break
    id = next
    consumed++
  }

  const node = tree.commands.get(id)
  const rest = before.slice(consumed)
  if (!node) {
    if (rest.length > 0 || current.startsWith('-')) return NONE
    return {candidates: children(tree, id, current)}
  }

  const parsed = parseWords(node, rest)
  if (parsed.afterDoubleDash) return FILES
  if (parsed.pendingFlag) return flagValues(node, parsed.pendingFlag, current, sources, parsed.positionals)

  if (current.startsWith('--') && current.includes('=')) {
    const [flagWord] = current.split('=', 1)
    const flag = findFlag(node, flagWord)
    if (!flag) return NONE
    const values = flagValues(node, flag.name, current.slice(flagWord.length + 1), sources, parsed.positionals)
    if ('files' in values) return values
    return {candidates: values.candidates.map((c) => ({...c, value: `${flagWord}=${c.value}`}))}
  }

  if (current.startsWith('-')) return flagNames(node, parsed.usedFlags, current)

  // A command that is also a topic (`webservice`, were it to gain subcommands) offers both.
  const sub = rest.length === 0 && parsed.positionals.length === 0 ? children(tree, id, current) : []
  const values = argValues(node, parsed, current, sources)
  if (sub.length === 0) return values
  return {candidates: [...sub, ...('files' in values ? [] : values.candidates)]}
}
