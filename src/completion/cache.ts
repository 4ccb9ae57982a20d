// The completion cache: one small JSON file per list (job names, build ids, …) under
// <cacheDir>/completion/<account>/. A TAB only ever reads these files; when one is missing or old, it
// starts a detached `__complete --refresh <kind>` and answers from what it has, so a slow or
// unreachable API is never waited for.

// node:crypto and node:child_process are loaded where used (process.getBuiltinModule): bin/run.js's
// launcher bundles this module, and `--help` should not pay ~3 ms for what only a TAB or a refresh needs.
import {closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

import type {CachedKind} from './values.js'

export const CACHE_VERSION = 1
/** How long a list counts as fresh, unless TOOLFORGE_COMPLETION_TTL (seconds) says otherwise. */
export const DEFAULT_TTL_SECONDS = 300
/** A refresh takes at most ~20 s (10 s timeout, one retry); a lock older than this was abandoned. */
export const LOCK_STALE_MS = 60_000

export interface CacheEntry {
  version: number
  kind: CachedKind
  /** Epoch milliseconds of the last refresh attempt, successful or not. */
  fetched_at: number
  /** False when the last refresh failed; `values` then still holds the last good list. */
  ok: boolean
  values: string[]
}

/**
 * Lists belong to one tool account. `become` switches HOME (and so the cache dir) already; the
 * kubeconfig, API URL and config file in force tell apart the rest (e.g. a sandbox from the same HOME).
 */
export function accountKey(env: NodeJS.ProcessEnv = process.env): string {
  const kubeconfig = env.KUBECONFIG || join(env.HOME || homedir(), '.kube', 'config')
  const identity = [kubeconfig, env.TOOL_TOOLFORGE_API_URL ?? '', env.TOOLFORGE_CONFIG ?? ''].join('\n')
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(identity).digest('hex').slice(0, 16)
}

export function completionDir(cacheDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir, 'completion', accountKey(env))
}

function entryPath(dir: string, kind: CachedKind): string {
  return join(dir, `${kind}.json`)
}

export function ttlMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TOOLFORGE_COMPLETION_TTL
  const seconds = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : DEFAULT_TTL_SECONDS
  return seconds * 1000
}

function isEntry(value: unknown, kind: CachedKind): value is CacheEntry {
  const entry = value as CacheEntry
  return (
    typeof value === 'object' &&
    value !== null &&
    entry.version === CACHE_VERSION &&
    entry.kind === kind &&
    typeof entry.fetched_at === 'number' &&
    Array.isArray(entry.values) &&
    entry.values.every((v) => typeof v === 'string')
  )
}

/** The cached list, or undefined when there is none (or it is unreadable: treated as missing). */
export function readEntry(dir: string, kind: CachedKind): CacheEntry | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(entryPath(dir, kind), 'utf8'))
    return isEntry(parsed, kind) ? parsed : undefined
  } catch {
    return undefined
  }
}

export function isFresh(entry: CacheEntry | undefined, now = Date.now(), env: NodeJS.ProcessEnv = process.env): boolean {
  return entry !== undefined && now - entry.fetched_at < ttlMs(env) && entry.fetched_at <= now
}

/** Replaces the file in one step, so a TAB never reads half a list; private, as lists name things. */
export function writeEntry(dir: string, entry: CacheEntry): void {
  mkdirSync(dir, {recursive: true, mode: 0o700})
  const target = entryPath(dir, entry.kind)
  const temporary = `${target}.${process.pid}.tmp`
  writeFileSync(temporary, JSON.stringify(entry) + '\n', {mode: 0o600})
  renameSync(temporary, target)
}

/**
 * Takes the refresh lock of `kind`: true when this caller should refresh. Lets one refresh run at a
 * time however fast TAB is pressed; a lock left by a killed refresh expires after LOCK_STALE_MS.
 */
export function acquireLock(dir: string, kind: CachedKind, now = Date.now()): boolean {
  const lock = join(dir, `${kind}.lock`)
  mkdirSync(dir, {recursive: true, mode: 0o700})
  try {
    closeSync(openSync(lock, 'wx', 0o600))
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false
  }

  try {
    if (now - statSync(lock).mtimeMs < LOCK_STALE_MS) return false
    rmSync(lock, {force: true})
    closeSync(openSync(lock, 'wx', 0o600))
    return true
  } catch {
    return false
  }
}

export function releaseLock(dir: string, kind: CachedKind): void {
  rmSync(join(dir, `${kind}.lock`), {force: true})
}

export interface SelfCommand {
  file: string
  args: string[]
}

/**
 * Starts `<cli> __complete --refresh <kind>` fully detached: no stdio (the shell's `$(…)` would
 * otherwise wait for it), its own process group (Ctrl-C at the prompt does not reach it), unref'd.
 * The cache dir is passed on so the refresh writes exactly where this TAB reads.
 */
export function spawnRefresh(self: SelfCommand, kind: CachedKind, cacheDir: string, env: NodeJS.ProcessEnv = process.env): void {
  const child = process.getBuiltinModule('node:child_process').spawn(self.file, [...self.args, '__complete', '--refresh', kind], {
    detached: true,
    stdio: 'ignore',
    // One retry keeps the refresh well inside LOCK_STALE_MS; completion is best effort.
    env: {...env, TOOLFORGE_CACHE_DIR: cacheDir, TOOLFORGE_RETRIES: '1'},
  })
  child.on('error', () => {})
  child.unref()
}

export function refreshDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.TOOLFORGE_COMPLETION_REFRESH === '0'
}
