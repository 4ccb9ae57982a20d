// Runs one completion request end to end: the command tree, the cache, and the text the shell
// functions read. Usable without oclif (see completeFromManifests) so a launcher can answer a TAB
// without loading the framework.

import {realpathSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {binName, type PackageJson, pjsonTopics, readManifests} from '../oclif-manifests.js'
import {acquireLock, completionDir, isFresh, readEntry, refreshDisabled, type SelfCommand, spawnRefresh} from './cache.js'
import {type Completion, complete} from './engine.js'
import {oclifCacheDir} from '../config/cache-dir.js'
import {buildTree, type CommandTree, type TopicInfo} from './tree.js'
import {writeStdoutSync} from '../ui/stdout-sync.js'

/** First line of the output when the shell should complete file names instead. */
export const FILES_DIRECTIVE = ':files'

/** One candidate per line, `value<TAB>description` when there is a description. */
export function formatCompletion(completion: Completion): string {
  if ('files' in completion) return FILES_DIRECTIVE + '\n'
  const clean = (text: string) => text.replaceAll(/[\t\n\r]/g, ' ')
  return completion.candidates.map((c) => (c.description ? `${clean(c.value)}\t${clean(c.description)}` : clean(c.value)) + '\n').join('')
}

/**
 * How to start this CLI again for a background refresh: the same node, loader flags and launcher
 * when this process was started through one of our bin/ scripts, else bin/run.js (e.g. in-process
 * tests, where argv[1] is the test runner).
 */
export function selfCommand(root: string, argv = process.argv, execArgv = process.execArgv): SelfCommand {
  let main: string | undefined
  try {
    main = argv[1] ? realpathSync(argv[1]) : undefined
  } catch {
    main = undefined
  }

  if (main && dirname(main) === join(realpathSync(root), 'bin')) return {file: process.execPath, args: [...execArgv, main]}
  return {file: process.execPath, args: [join(root, 'bin', 'run.js')]}
}

export interface CompletionRun {
  tree: CommandTree
  /** The words after the program name; the last one is being completed. */
  words: readonly string[]
  cacheDir: string
  self: SelfCommand
  env?: NodeJS.ProcessEnv
  now?: number
}

/** Never throws and never waits on the network: a stale or missing list starts a background refresh. */
export function runCompletion(request: CompletionRun): string {
  const env = request.env ?? process.env
  const dir = completionDir(request.cacheDir, env)
  const completion = complete(request.tree, request.words, {
    cached(kind) {
      const entry = readEntry(dir, kind)
      if (!isFresh(entry, request.now, env) && !refreshDisabled(env)) {
        try {
          if (acquireLock(dir, kind, request.now)) spawnRefresh(request.self, kind, request.cacheDir, env)
        } catch {
          // A read-only or full cache dir only costs the refresh; the TAB still gets an answer.
        }
      }

      return entry?.values
    },
  })
  return formatCompletion(completion)
}

export type {PackageJson}

/** The command tree from oclif.manifest.json files alone; undefined when this CLI has no manifest (dev). */
export function treeFromManifests(root: string, pjson: PackageJson): CommandTree | undefined {
  const manifests = readManifests(root, pjson)
  if (!manifests) return undefined
  // A plugin without a readable manifest only loses its own commands from the candidates.
  const commands = manifests.plugins.flatMap((plugin) => Object.values(plugin.manifest.commands ?? {}))
  const topics: TopicInfo[] = manifests.plugins.flatMap((plugin) => pjsonTopics(plugin.pjson))
  return buildTree(commands, topics, binName(pjson))
}

/**
 * Answers `<bin> __complete -- WORDS…` from the manifests, without oclif. Returns false (having
 * written nothing) when it cannot, so the caller falls through to the normal command.
 */
export function completeFromManifests(root: string, pjson: PackageJson, argv: readonly string[], write: (text: string) => void = writeStdoutSync): boolean {
  if (argv[0] !== '__complete' || argv[1] !== '--') return false
  const tree = treeFromManifests(root, pjson)
  if (!tree) return false
  const cacheDir = oclifCacheDir(binName(pjson), pjson.oclif.dirname ?? binName(pjson))
  let output = ''
  try {
    output = runCompletion({tree, words: argv.slice(2), cacheDir, self: selfCommand(root)})
  } catch {
    output = ''
  }

  write(output)
  return true
}
