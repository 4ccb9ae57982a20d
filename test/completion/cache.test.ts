import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {expect} from 'chai'
import nock from 'nock'

import {acquireLock, accountKey, CACHE_VERSION, completionDir, isFresh, readEntry, releaseLock, writeEntry} from '../../src/completion/cache.js'
import {refreshKind} from '../../src/completion/refresh.js'
import {runCompletion} from '../../src/completion/run.js'
import {buildTree} from '../../src/completion/tree.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'

const TREE = buildTree([{id: 'jobs:show', args: {name: {name: 'name'}}}, {id: 'jobs:list', flags: {}}])

async function waitForFile(file: string, ms = 5000): Promise<string> {
  const deadline = Date.now() + ms
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear`)
    await sleep(20)
  }

  await sleep(20)
  return readFileSync(file, 'utf8')
}

describe('completion cache', () => {
  let tool: ToolEnv
  let cacheDir: string
  beforeEach(() => {
    tool = makeToolEnv()
    cacheDir = mkdtempSync(join(tmpdir(), 'tf-cache-'))
  })
  afterEach(() => {
    tool.restore()
    rmSync(cacheDir, {recursive: true, force: true})
  })

  it('keeps one folder per tool account: kubeconfig, API URL and config file tell them apart', () => {
    const base = {HOME: '/home/a'}
    expect(accountKey(base)).to.equal(accountKey({...base}))
    expect(accountKey(base)).to.not.equal(accountKey({HOME: '/data/project/mytool'}))
    expect(accountKey(base)).to.not.equal(accountKey({...base, KUBECONFIG: '/tmp/sandbox/kubeconfig'}))
    expect(accountKey(base)).to.not.equal(accountKey({...base, TOOL_TOOLFORGE_API_URL: 'https://127.0.0.1:30003'}))
    expect(completionDir('/c', base)).to.match(/^\/c\/completion\/[0-9a-f]{16}$/)
  })

  it('counts a list as fresh for TOOLFORGE_COMPLETION_TTL seconds (default 300)', () => {
    const entry = {version: CACHE_VERSION, kind: 'jobs' as const, fetched_at: 1_000_000, ok: true, values: []}
    expect(isFresh(entry, 1_000_000 + 299_000, {})).to.equal(true)
    expect(isFresh(entry, 1_000_000 + 301_000, {})).to.equal(false)
    expect(isFresh(entry, 1_000_000 + 5000, {TOOLFORGE_COMPLETION_TTL: '2'})).to.equal(false)
    expect(isFresh(undefined, 1_000_000, {})).to.equal(false)
    // A clock that went backwards must not pin an old list forever.
    expect(isFresh(entry, 500_000, {})).to.equal(false)
  })

  it('treats an unreadable or foreign file as no list', () => {
    const dir = completionDir(cacheDir)
    writeEntry(dir, {version: CACHE_VERSION, kind: 'jobs', fetched_at: Date.now(), ok: true, values: ['a']})
    writeFileSync(join(dir, 'builds.json'), '{"version": 1, "kind": "builds", "values": "oops"}')
    writeFileSync(join(dir, 'envvars.json'), 'not json')
    expect(readEntry(dir, 'jobs')?.values).to.deep.equal(['a'])
    expect(readEntry(dir, 'builds')).to.equal(undefined)
    expect(readEntry(dir, 'envvars')).to.equal(undefined)
    expect(statSync(join(dir, 'jobs.json')).mode & 0o777).to.equal(0o600)
  })

  it('lets one refresh run at a time, and takes over a lock left behind by a killed one', () => {
    const dir = completionDir(cacheDir)
    expect(acquireLock(dir, 'jobs')).to.equal(true)
    expect(acquireLock(dir, 'jobs')).to.equal(false)
    expect(acquireLock(dir, 'builds')).to.equal(true)
    const old = new Date(Date.now() - 120_000)
    utimesSync(join(dir, 'jobs.lock'), old, old)
    expect(acquireLock(dir, 'jobs')).to.equal(true)
    releaseLock(dir, 'jobs')
    expect(acquireLock(dir, 'jobs')).to.equal(true)
  })

  it('refresh stores the job names, sorted, and releases the lock', async () => {
    nock(API).get(`${JOBS}/jobs`).query({include_unset: false}).reply(200, {jobs: [{name: 'nightly'}, {name: 'mybot'}], messages: {info: ['ignored']}})
    const dir = completionDir(cacheDir)
    acquireLock(dir, 'jobs')
    expect(await refreshKind('jobs', {cacheDir, version: '0.0.0'})).to.equal(true)
    const entry = readEntry(dir, 'jobs')
    expect(entry).to.include({ok: true, kind: 'jobs'})
    expect(entry?.values).to.deep.equal(['mybot', 'nightly'])
    expect(existsSync(join(dir, 'jobs.lock'))).to.equal(false)
  })

  it('refresh keeps envvar names only, never their values', async () => {
    nock(API)
      .get('/envvars/v1/tool/mytool/envvars')
      .reply(200, {envvars: [{name: 'MY_API_TOKEN', value: 's3cr3t-value'}, {name: 'DB_HOST', value: 'tools.db.svc'}], messages: {}})
    expect(await refreshKind('envvars', {cacheDir, version: '0.0.0'})).to.equal(true)
    const text = readFileSync(join(completionDir(cacheDir), 'envvars.json'), 'utf8')
    expect(JSON.parse(text).values).to.deep.equal(['DB_HOST', 'MY_API_TOKEN'])
    expect(text).to.not.include('s3cr3t-value')
    expect(text).to.not.include('tools.db.svc')
  })

  it('refresh stores build ids and image short names', async () => {
    nock(API)
      .get('/builds/v1/tool/mytool/builds')
      .reply(200, {builds: [{build_id: 'mytool-buildpacks-pipelinerun-x7k2p'}, {build_id: ''}], messages: {}})
      .get(`${JOBS}/images`)
      .reply(200, {images: [{shortname: 'python3.11', image: 'x'}, {shortname: 'tool-mytool/tool-mytool:latest', image: 'y'}]})
    await refreshKind('builds', {cacheDir, version: '0.0.0'})
    await refreshKind('images', {cacheDir, version: '0.0.0'})
    const dir = completionDir(cacheDir)
    expect(readEntry(dir, 'builds')?.values).to.deep.equal(['mytool-buildpacks-pipelinerun-x7k2p'])
    expect(readEntry(dir, 'images')?.values).to.deep.equal(['python3.11', 'tool-mytool/tool-mytool:latest'])
  })

  it('a failed refresh keeps the last good list, records the attempt and never throws', async () => {
    const dir = completionDir(cacheDir)
    writeEntry(dir, {version: CACHE_VERSION, kind: 'jobs', fetched_at: 1, ok: true, values: ['old']})
    nock(API).get(`${JOBS}/jobs`).query(true).times(5).reply(503, {error: ['down']})
    const before = Date.now()
    expect(await refreshKind('jobs', {cacheDir, version: '0.0.0'})).to.equal(false)
    const entry = readEntry(dir, 'jobs')
    expect(entry).to.include({ok: false})
    expect(entry?.values).to.deep.equal(['old'])
    expect(entry?.fetched_at).to.be.at.least(before)
  })

  it('a refresh without a tool account fails quietly', async () => {
    rmSync(join(tool.home, '.kube'), {recursive: true})
    expect(await refreshKind('jobs', {cacheDir, version: '0.0.0'})).to.equal(false)
    expect(readEntry(completionDir(cacheDir), 'jobs')?.values).to.deep.equal([])
  })

  describe('runCompletion', () => {
    const marker = () => join(cacheDir, 'spawned')
    // Stands in for the CLI: records how it was started instead of calling the API.
    const self = () => ({file: '/bin/sh', args: ['-c', `echo "$TOOLFORGE_CACHE_DIR $*" >> '${marker()}'`, 'sh']})

    it('answers from a fresh list without starting a refresh', async () => {
      writeEntry(completionDir(cacheDir), {version: CACHE_VERSION, kind: 'jobs', fetched_at: Date.now(), ok: true, values: ['mybot', 'nightly']})
      const out = runCompletion({tree: TREE, words: ['jobs', 'show', ''], cacheDir, self: self()})
      expect(out).to.equal('mybot\nnightly\n')
      await sleep(200)
      expect(existsSync(marker())).to.equal(false)
    })

    it('answers from a stale list at once and starts one background refresh, however often TAB is pressed', async () => {
      writeEntry(completionDir(cacheDir), {version: CACHE_VERSION, kind: 'jobs', fetched_at: Date.now() - 3_600_000, ok: true, values: ['mybot']})
      expect(runCompletion({tree: TREE, words: ['jobs', 'show', ''], cacheDir, self: self()})).to.equal('mybot\n')
      expect(runCompletion({tree: TREE, words: ['jobs', 'show', 'm'], cacheDir, self: self()})).to.equal('mybot\n')
      expect(await waitForFile(marker())).to.equal(`${cacheDir} __complete --refresh jobs\n`)
    })

    it('starts nothing with TOOLFORGE_COMPLETION_REFRESH=0, nor for commands and flags', async () => {
      const env = {...process.env, TOOLFORGE_COMPLETION_REFRESH: '0'}
      expect(runCompletion({tree: TREE, words: ['jobs', 'show', ''], cacheDir, self: self(), env})).to.equal('')
      expect(runCompletion({tree: TREE, words: ['jobs', ''], cacheDir, self: self()})).to.equal('list\nshow\n')
      await sleep(200)
      expect(existsSync(marker())).to.equal(false)
    })

    it('prints the files directive where only the shell knows the answer', () => {
      const tree = buildTree([{id: 'jobs:load', args: {file: {name: 'file'}}}])
      expect(runCompletion({tree, words: ['jobs', 'load', ''], cacheDir, self: self()})).to.equal(':files\n')
    })
  })
})
