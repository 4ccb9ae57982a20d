// What bin/run.js decides before loading oclif, from argv and the manifest alone. Kept free of
// imports: it runs on every invocation.

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
