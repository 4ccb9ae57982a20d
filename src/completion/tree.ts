// The command tree completion works from: the same static data (ids, flags, args) that oclif keeps in
// its manifest and that @oclif/plugin-autocomplete generates its scripts from. Built from oclif's
// loaded config or from the raw manifests, without importing a single command module.

/** The parts of an oclif flag (manifest `Command.Flag.Cached`) that completion needs. */
export interface FlagInfo {
  name: string
  type: 'boolean' | 'option'
  char?: string
  hidden?: boolean
  summary?: string
  description?: string
  options?: readonly string[]
  multiple?: boolean
  aliases?: readonly string[]
  charAliases?: readonly string[]
}

export interface ArgInfo {
  name: string
  description?: string
  options?: readonly string[]
}

export interface CommandInfo {
  id: string
  hidden?: boolean
  summary?: string
  description?: string
  aliases?: readonly string[]
  strict?: boolean
  flags?: Record<string, FlagInfo>
  args?: Record<string, ArgInfo>
}

export interface TopicInfo {
  name: string
  description?: string
  hidden?: boolean
}

export interface CommandNode {
  id: string
  summary: string
  strict: boolean
  flags: FlagInfo[]
  args: ArgInfo[]
}

export interface CommandTree {
  commands: Map<string, CommandNode>
  /** Every topic or command id (`jobs`, `jobs:list`) → the names one level below it, with a summary. */
  children: Map<string, Map<string, string>>
}

export function buildTree(commands: Iterable<CommandInfo>, topics: Iterable<TopicInfo> = [], bin = 'toolforge'): CommandTree {
  // Summaries may hold oclif's help template for the program name (plugin-help's own does).
  const firstLine = (text: string | undefined) => (text ?? '').split('\n')[0].replaceAll(/<%=\s*config\.bin\s*%>/g, bin).trim()
  const tree: CommandTree = {commands: new Map(), children: new Map()}
  const topicSummaries = new Map<string, string>()
  for (const topic of topics) if (!topic.hidden) topicSummaries.set(topic.name, firstLine(topic.description))

  const addChild = (parent: string, name: string, summary: string) => {
    let names = tree.children.get(parent)
    if (!names) {
      names = new Map()
      tree.children.set(parent, names)
    }

    // A topic that is also a command keeps the more specific (command) summary once it is known.
    if (!names.has(name) || summary) names.set(name, summary || names.get(name) || '')
  }

  for (const command of commands) {
    if (command.hidden) continue
    const summary = firstLine(command.summary ?? command.description)
    const node: CommandNode = {
      id: command.id,
      summary,
      strict: command.strict !== false,
      flags: Object.values(command.flags ?? {}).filter((flag) => !flag.hidden),
      args: Object.values(command.args ?? {}),
    }
    for (const id of [command.id, ...(command.aliases ?? [])]) {
      tree.commands.set(id, {...node, id})
      const parts = id.split(':')
      for (let depth = 0; depth < parts.length; depth++) {
        const parent = parts.slice(0, depth).join(':')
        const name = parts[depth]
        const own = parts.slice(0, depth + 1).join(':')
        addChild(parent, name, depth === parts.length - 1 ? summary : topicSummaries.get(own) ?? '')
      }
    }
  }

  return tree
}

/** True when `id` names a command or a topic that has visible commands. */
export function isKnown(tree: CommandTree, id: string): boolean {
  return tree.commands.has(id) || tree.children.has(id)
}

export function findFlag(node: CommandNode, word: string): FlagInfo | undefined {
  if (word.startsWith('--')) {
    const name = word.slice(2).split('=')[0]
    return node.flags.find((flag) => flag.name === name || flag.aliases?.includes(name))
  }

  // `-abc` is a cluster of short flags; only the last one can take a value.
  const char = word.at(-1)
  return node.flags.find((flag) => flag.char === char || flag.charAliases?.includes(char ?? ''))
}
