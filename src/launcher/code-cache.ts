// Loads the CommonJS bundle of the libraries every command needs (scripts/build-vendor.js) with
// V8's code cache. Compiling that code is most of a command's start-up; Node 20 keeps no compiled
// code between runs for modules, but vm.Script accepts V8's cache for a script, so the bundle
// is compiled once per version and later runs deserialise it instead.

import {isAscii} from 'node:buffer'
import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {basename, dirname, join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {Script} from 'node:vm'

import {oclifCacheDir} from '../config/cache-dir.js'

/**
 * The bundle reaches import() through this parameter (scripts/build-vendor.js rewrites its calls):
 * V8 drops a cached script's own dynamic-import handler, and Node 20 has no flag-free replacement.
 */
export const DYNAMIC_IMPORT = '__tfImport'

type BundleWrapper = (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string, dynamicImport: (specifier: string) => Promise<unknown>) => void

export interface CodeCacheOptions {
  /** oclif's bin and dirname, which name the cache folder (as config.cacheDir). */
  bin: string
  dirname: string
  env?: NodeJS.ProcessEnv
}

/** Where a bundle's compiled code is kept; per Node version and architecture, as V8's cache is. */
export function codeCachePath(bundle: string, options: CodeCacheOptions): string {
  const env = options.env ?? process.env
  const name = `${basename(bundle)}.${process.versions.v8}.${process.arch}.bin`
  return join(oclifCacheDir(options.bin, options.dirname, env), 'v8', name)
}

export function codeCacheDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.TOOLFORGE_NO_CODE_CACHE
  return value !== undefined && value !== '' && value !== '0' && value !== 'false'
}

function readCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path)
  } catch {
    return undefined
  }
}

/** Caches kept per bundle: a few builds, so two installations used in turn do not evict each other. */
export const CACHES_KEPT = 3

/**
 * Written whole under a temporary name, so a concurrent run never reads half a cache. Of the caches
 * of other builds of the same bundle (each build's bundle has a new name), the most recently
 * written are kept, up to CACHES_KEPT with this one.
 */
function writeCache(path: string, data: Buffer, bundleStem: string): void {
  try {
    const dir = dirname(path)
    mkdirSync(dir, {recursive: true, mode: 0o700})
    const temporary = `${path}.${process.pid}.tmp`
    writeFileSync(temporary, data, {mode: 0o600})
    renameSync(temporary, path)
    const builds = readdirSync(dir)
      .filter((name) => name.startsWith(`${bundleStem}-`) && name.endsWith('.bin'))
      .map((name) => ({file: join(dir, name), written: statSync(join(dir, name)).mtimeMs}))
      .sort((a, b) => (a.file === path ? -1 : b.file === path ? 1 : b.written - a.written))
    for (const {file} of builds.slice(CACHES_KEPT)) rmSync(file, {force: true})
  } catch {
    // A read-only or full home only costs speed.
  }
}

/** hit: compiled code reused; miss: none yet; rejected: stale (another V8, other flags); off: disabled. */
export type CodeCacheState = 'hit' | 'miss' | 'rejected' | 'off'

/**
 * Runs a CommonJS bundle as `require` would and returns its exports. The cache is written when the
 * process exits, so it also holds the functions this run compiled lazily, not only the top level.
 * A bundle's file name must change with its content (the build names them by a hash of it): V8
 * accepts a cache made for any source of the same length.
 */
export function loadBundleWithState(bundle: string, options: CodeCacheOptions): {exports: Record<string, unknown>; cache: CodeCacheState} {
  const bytes = readFileSync(bundle)
  // The build makes these bundles ASCII (scripts/build-vendor.js escapeNonAscii), which is read as
  // one-byte text without decoding UTF-8; anything else is still read correctly.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')
  const cachePath = codeCacheDisabled(options.env) ? undefined : codeCachePath(bundle, options)
  const cachedData = cachePath ? readCache(cachePath) : undefined
  // As Node's own CommonJS wrapper, plus the import() route; kept on the first line so that line
  // and column numbers in stack traces stay those of the bundle.
  const wrapped = `(function (exports, require, module, __filename, __dirname, ${DYNAMIC_IMPORT}) { ${source}\n})`
  const script = new Script(wrapped, {filename: bundle, cachedData})
  const cache: CodeCacheState = !cachePath ? 'off' : !cachedData ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit'
  if (cachePath && cache !== 'hit') {
    const bundleStem = basename(bundle).replace(/-[\da-f]+\.cjs$/, '')
    process.once('exit', () => writeCache(cachePath, script.createCachedData(), bundleStem))
  }

  const wrapper = script.runInThisContext() as BundleWrapper
  const module = {exports: {} as Record<string, unknown>}
  // Relative specifiers resolve against the bundle, as its own import() would.
  const base = pathToFileURL(bundle)
  const dynamicImport = (specifier: string) => import(specifier.startsWith('.') ? new URL(specifier, base).href : specifier)
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle), dynamicImport)
  return {exports: module.exports, cache}
}

export function loadBundle(bundle: string, options: CodeCacheOptions): Record<string, unknown> {
  return loadBundleWithState(bundle, options).exports
}
