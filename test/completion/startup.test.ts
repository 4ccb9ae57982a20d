import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Config} from '@oclif/core'
import {expect} from 'chai'

import {CACHE_VERSION, completionDir, writeEntry} from '../../src/completion/cache.js'
import {completeFromManifests, runCompletion, selfCommand} from '../../src/completion/run.js'
import {oclifCacheDir} from '../../src/config/cache-dir.js'
import {buildTree} from '../../src/completion/tree.js'
import {run} from '../helpers/run.js'
import {makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SRC = join(ROOT, 'src')

/** Every module a file loads before its code runs: static imports only (`import()` is deferred). */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen
  seen.add(file)
  const text = readFileSync(file, 'utf8')
  for (const match of text.matchAll(/^import\s+(?!type\b)(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
    const specifier = match[1]
    if (specifier.startsWith('.')) staticImports(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')), seen)
    else seen.add(specifier)
  }

  return seen
}

describe('completion start-up path', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv()
  })
  afterEach(() => tool.restore())

  it('__complete loads no API client, YAML, table, prompt or spinner code', () => {
    const loaded = [...staticImports(join(SRC, 'commands', '__complete.ts'))]
    const packages = loaded.filter((m) => !m.startsWith('/'))
    expect(packages.filter((m) => !m.startsWith('node:'))).to.deep.equal(['@oclif/core'])
    const own = loaded.filter((m) => m.startsWith('/')).map((m) => m.slice(SRC.length + 1))
    expect(own.filter((m) => m.startsWith('api/') && m !== 'api/errors.ts')).to.deep.equal([])
    // Two leaf modules without packages: oclif's cache-folder rule, and writing to fd 1.
    const leaves = ['config/cache-dir.ts', 'ui/stdout-sync.ts']
    expect(own.filter((m) => (m.startsWith('config/') || m.startsWith('ui/')) && !leaves.includes(m))).to.deep.equal([])
  })

  it('the hidden command prints candidates only, and nothing at all for nonsense', async () => {
    const listed = await run(['__complete', '--', 'envvars', ''])
    expect(listed.exitCode).to.equal(0)
    expect(listed.stdout.split('\n').map((l) => l.split('\t')[0])).to.deep.equal(['create', 'delete', 'list', 'quota', 'show', ''])
    expect(listed.stderr).to.equal('')
    const nonsense = await run(['__complete', '--', 'jobs', 'show', 'x', '--nope=', '-h', ''])
    expect(nonsense).to.include({exitCode: 0, stdout: '', stderr: ''})
    const badRefresh = await run(['__complete', '--refresh', 'passwords'])
    expect(badRefresh).to.include({exitCode: 0, stdout: '', stderr: ''})
  })

  it('is hidden from help and from the static data `toolforge autocomplete` generates', async () => {
    const {stdout} = await run(['--help'])
    expect(stdout).to.include('completion')
    expect(stdout).to.not.include('__complete')
    const generated = await run(['autocomplete', 'bash', '--refresh-cache'])
    expect(generated.exitCode).to.equal(0)
    const staticScript = readFileSync(join(tool.home, '.cache', 'toolforge', 'autocomplete', 'functions', 'bash', 'toolforge.bash'), 'utf8')
    expect(staticScript).to.include('jobs:wait --json --debug --timeout')
    expect(staticScript).to.not.include('__complete')
  })

  it('answers within the TAB budget even when a refresh must be started', async () => {
    const config = await Config.load({root: ROOT})
    const tree = buildTree(config.commands, config.topics, config.bin)
    const cacheDir = mkdtempSync(join(tmpdir(), 'tf-budget-'))
    try {
      // A real detached process (a node that exits at once) is started: its cost counts too.
      const self = {file: process.execPath, args: ['-e', '0', '--']}
      const started = performance.now()
      const out = runCompletion({tree, words: ['jobs', 'show', ''], cacheDir, self})
      expect(performance.now() - started).to.be.below(150)
      expect(out).to.equal('')
    } finally {
      rmSync(cacheDir, {recursive: true, force: true})
    }
  })

  it('restarts the CLI the way it was started: same node, loader flags and launcher', () => {
    const viaDev = selfCommand(ROOT, ['node', join(ROOT, 'bin', 'dev.js')], ['--import', 'tsx'])
    expect(viaDev).to.deep.equal({file: process.execPath, args: ['--import', 'tsx', join(ROOT, 'bin', 'dev.js')]})
    // In-process (a test runner as argv[1]) the published launcher is used.
    expect(selfCommand(ROOT, ['node', '/usr/lib/node_modules/mocha/bin/mocha.js'], [])).to.deep.equal({file: process.execPath, args: [join(ROOT, 'bin', 'run.js')]})
  })

  describe('without oclif, from the manifests (a launcher fast path)', () => {
    let root: string
    const pjson = {oclif: {bin: 'toolforge', dirname: 'toolforge', plugins: ['@oclif/plugin-none'], topics: {jobs: {description: 'Run jobs.'}}}}
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'tf-root-'))
    })
    afterEach(() => rmSync(root, {recursive: true, force: true}))

    it('computes the cache dir exactly as oclif does', async () => {
      const config = await Config.load({root: ROOT})
      expect(oclifCacheDir('toolforge', 'toolforge')).to.equal(config.cacheDir)
      expect(oclifCacheDir('toolforge', 'toolforge', {TOOLFORGE_CACHE_DIR: '/x'})).to.equal('/x')
      expect(oclifCacheDir('toolforge', 'toolforge', {HOME: '/h', XDG_CACHE_HOME: '/c'})).to.equal('/c/toolforge')
    })

    it('declines without a manifest, and for anything but `__complete --`', () => {
      expect(completeFromManifests(root, pjson, ['__complete', '--', 'jobs', ''])).to.equal(false)
      writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify({commands: {}}))
      expect(completeFromManifests(root, pjson, ['jobs', 'list'])).to.equal(false)
      expect(completeFromManifests(root, pjson, ['__complete', '--refresh', 'jobs'])).to.equal(false)
    })

    it('answers from the manifest and the cache that oclif would use', async () => {
      const manifest = {commands: {'jobs:show': {id: 'jobs:show', summary: 'Show a job.', args: {name: {name: 'name'}}, flags: {}}, 'jobs:list': {id: 'jobs:list', summary: 'List.', flags: {}}}}
      writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify(manifest))
      mkdirSync(join(root, 'bin'))
      const cacheDir = oclifCacheDir('toolforge', 'toolforge')
      writeEntry(completionDir(cacheDir), {version: CACHE_VERSION, kind: 'jobs', fetched_at: Date.now(), ok: true, values: ['mybot']})
      let commands = ''
      expect(completeFromManifests(root, pjson, ['__complete', '--', 'jobs', ''], (text) => (commands += text))).to.equal(true)
      expect(commands).to.equal('list\tList.\nshow\tShow a job.\n')
      let names = ''
      completeFromManifests(root, pjson, ['__complete', '--', 'jobs', 'show', ''], (text) => (names += text))
      expect(names).to.equal('mybot\n')
      expect(existsSync(join(root, 'oclif.manifest.json'))).to.equal(true)
    })
  })
})
