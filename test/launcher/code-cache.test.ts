import {execFileSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {CACHES_KEPT, codeCacheDisabled, codeCachePath, DYNAMIC_IMPORT, loadBundle} from '../../src/launcher/code-cache.js'

const LOADER = fileURLToPath(new URL('../../src/launcher/code-cache.ts', import.meta.url))

const BUNDLE = `
exports.answer = 6 * 7
exports.filename = __filename
exports.side = () => ${DYNAMIC_IMPORT}('./side.mjs').then((m) => m.side)
exports.builtin = () => ${DYNAMIC_IMPORT}('node:path').then((m) => typeof m.join)
exports.requireWorks = typeof require('node:os').platform
`

describe('V8 code cache for the vendor bundle', () => {
  let dir: string
  let cacheDir: string
  let bundle: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tf-code-cache-'))
    cacheDir = join(dir, 'cache')
    bundle = join(dir, 'libs-0123456789ab.cjs')
    writeFileSync(bundle, BUNDLE)
    writeFileSync(join(dir, 'side.mjs'), "export const side = 'beside the bundle'\n")
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  const options = (env: Record<string, string> = {}) => ({bin: 'toolforge', dirname: 'toolforge', env: {TOOLFORGE_CACHE_DIR: cacheDir, ...env}})

  /** Loads the bundle in a fresh process, as the CLI does, and reports the cache state it saw. */
  function loadInChild(env: Record<string, string> = {}): string {
    const script = `
      const {loadBundleWithState} = await import(${JSON.stringify(LOADER)})
      const {exports, cache} = loadBundleWithState(${JSON.stringify(bundle)}, ${JSON.stringify(options(env))})
      if (exports.answer !== 42 || (await exports.side()) !== 'beside the bundle') throw new Error('bundle misbehaved')
      process.stdout.write(cache)`
    return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {env: {PATH: process.env.PATH ?? '', HOME: dir}, encoding: 'utf8'})
  }

  it('runs a CommonJS bundle with require, __filename and import() resolved beside it', async () => {
    const exports = loadBundle(bundle, options()) as {answer: number; filename: string; side: () => Promise<string>; builtin: () => Promise<string>; requireWorks: string}
    expect(exports.answer).to.equal(42)
    expect(exports.filename).to.equal(bundle)
    expect(exports.requireWorks).to.equal('function')
    expect(await exports.side()).to.equal('beside the bundle')
    expect(await exports.builtin()).to.equal('function')
  })

  it('reads text outside ASCII correctly too (the build makes its bundles ASCII, read faster)', () => {
    writeFileSync(bundle, "exports.text = 'Grüße, ☃'\n")
    expect((loadBundle(bundle, options()) as {text: string}).text).to.equal('Grüße, ☃')
  })

  it('writes the compiled code when the first run exits, reuses it after, and rewrites a stale one', function () {
    this.timeout(60_000)
    const cachePath = codeCachePath(bundle, options())
    expect(cachePath.startsWith(join(cacheDir, 'v8') + '/')).to.equal(true)
    expect(loadInChild()).to.equal('miss')
    expect(existsSync(cachePath)).to.equal(true)
    expect(statSync(cachePath).mode & 0o777).to.equal(0o600)
    const written = statSync(cachePath).mtimeMs

    expect(loadInChild()).to.equal('hit')
    expect(statSync(cachePath).mtimeMs).to.equal(written)

    writeFileSync(cachePath, 'not V8 code')
    expect(loadInChild()).to.equal('rejected')
    expect(loadInChild()).to.equal('hit')
  })

  it('keeps the caches of the most recent builds of the bundle, its own included, and removes older ones', function () {
    this.timeout(30_000)
    const v8 = join(cacheDir, 'v8')
    mkdirSync(v8, {recursive: true})
    const older = ['libs-aaaaaaaaaaaa', 'libs-bbbbbbbbbbbb', 'libs-cccccccccccc', 'libs-dddddddddddd']
    older.forEach((name, i) => {
      const file = join(v8, `${name}.cjs.1.x64.bin`)
      writeFileSync(file, 'another build')
      // Written one minute apart, dddd most recently.
      const when = new Date(Date.now() - (older.length - i) * 60_000)
      utimesSync(file, when, when)
    })
    writeFileSync(join(v8, 'other.bin'), 'not ours')
    loadInChild()
    const own = codeCachePath(bundle, options()).split('/').at(-1)
    expect(readdirSync(v8).sort()).to.deep.equal([own, 'libs-cccccccccccc.cjs.1.x64.bin', 'libs-dddddddddddd.cjs.1.x64.bin', 'other.bin'].sort())
    expect(CACHES_KEPT).to.equal(3)
  })

  it('still loads, without a cache, when the cache folder cannot be written or the cache is turned off', function () {
    this.timeout(30_000)
    if (process.getuid?.() === 0) {
      // root writes anywhere: make the cache path a file instead, which no one can create a folder in.
      writeFileSync(cacheDir, 'in the way')
    } else {
      mkdirSync(cacheDir)
      chmodSync(cacheDir, 0o500)
    }

    expect(loadInChild()).to.equal('miss')
    expect(loadInChild()).to.equal('miss')
    rmSync(cacheDir, {recursive: true, force: true})
    expect(loadInChild({TOOLFORGE_NO_CODE_CACHE: '1'})).to.equal('off')
    expect(existsSync(cacheDir)).to.equal(false)
  })

  it('reads TOOLFORGE_NO_CODE_CACHE as a switch', () => {
    expect(codeCacheDisabled({})).to.equal(false)
    expect(codeCacheDisabled({TOOLFORGE_NO_CODE_CACHE: ''})).to.equal(false)
    expect(codeCacheDisabled({TOOLFORGE_NO_CODE_CACHE: '0'})).to.equal(false)
    expect(codeCacheDisabled({TOOLFORGE_NO_CODE_CACHE: 'false'})).to.equal(false)
    expect(codeCacheDisabled({TOOLFORGE_NO_CODE_CACHE: '1'})).to.equal(true)
  })
})
