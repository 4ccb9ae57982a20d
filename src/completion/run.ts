// Runs one completion request end to end: the command tree, the cache, and the text the shell
// functions read. Usable without oclif (see completeFromManifests) so a launcher can answer a TAB
// without loading the framework.

import {readFileSync, realpathSync} from 'node:fs'
import {homedir, platform} from 'node:os'
import {dirname, join} from 'node:path'

import {acquireLock, completionDir, isFresh, readEntry, refreshDisabled, type SelfCommand, spawnRefresh} from './cache.js'
import {type Completion, complete} from './engine.js'
import {buildTree, type CommandInfo, type CommandTree, type TopicInfo} from './tree.js'

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

interface Manifest {
  commands?: Record<string, CommandInfo>
}

function readManifest(file: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest
  } catch {
    return undefined
  }
}

/** oclif's rule for config.cacheDir: `<BIN>_CACHE_DIR`, else the platform's cache folder + `dirname`. */
export function oclifCacheDir(bin: string, dirname: string, env: NodeJS.ProcessEnv = process.env): string {
  const scoped = env[`${bin.replaceAll('@', '').replaceAll(/[-/]/g, '_').toUpperCase()}_CACHE_DIR`]
  if (scoped) return scoped
  const home = env.HOME || homedir()
  if (platform() === 'darwin') return join(home, 'Library', 'Caches', dirname)
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), dirname)
}

export interface PackageJson {
  oclif: {bin: string; dirname?: string; plugins?: string[]; topics?: Record<string, {description?: string; hidden?: boolean}>}
}

/** The command tree from oclif.manifest.json files alone; undefined when this CLI has no manifest (dev). */
export function treeFromManifests(root: string, pjson: PackageJson): CommandTree | undefined {
  const own = readManifest(join(root, 'oclif.manifest.json'))
  if (!own?.commands) return undefined
  const commands = Object.values(own.commands)
  for (const plugin of pjson.oclif.plugins ?? []) {
    commands.push(...Object.values(readManifest(join(root, 'node_modules', plugin, 'oclif.manifest.json'))?.commands ?? {}))
  }

  const topics: TopicInfo[] = Object.entries(pjson.oclif.topics ?? {}).map(([name, topic]) => ({name, ...topic}))
  return buildTree(commands, topics, pjson.oclif.bin)
}

/**
 * Answers `<bin> __complete -- WORDS…` from the manifests, without oclif. Returns false (having
 * written nothing) when it cannot, so the caller falls through to the normal command.
 */
export function completeFromManifests(root: string, pjson: PackageJson, argv: readonly string[]): boolean {
  if (argv[0] !== '__complete' || argv[1] !== '--') return false
  const tree = treeFromManifests(root, pjson)
  if (!tree) return false
  const cacheDir = oclifCacheDir(pjson.oclif.bin, pjson.oclif.dirname ?? pjson.oclif.bin)
  let output = ''
  try {
    output = runCompletion({tree, words: argv.slice(2), cacheDir, self: selfCommand(root)})
  } catch {
    output = ''
  }

  process.stdout.write(output)
  return true
}
