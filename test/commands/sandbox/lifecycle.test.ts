import {expect} from 'chai'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import nock from 'nock'

import {freePort} from '../../../src/sandbox/proxy.js'
import {run} from '../../helpers/run.js'


describe('sandbox commands', function () {
  this.timeout(60_000)
  let dataDir: string
  let port: number

  before(async () => {
    nock.enableNetConnect('127.0.0.1')
    dataDir = mkdtempSync(join(tmpdir(), 'tf-sandbox-cmd-'))
    port = await freePort()
  })

  after(async () => {
    await run(['sandbox', 'stop', '--data-dir', dataDir])
    rmSync(dataDir, {recursive: true, force: true})
    nock.disableNetConnect()
  })

  it('starts in the background and says what to do next', async () => {
    const {stdout, exitCode} = await run(['sandbox', 'start', '--data-dir', dataDir, '--port', String(port)])
    expect(exitCode).to.equal(0)
    expect(stdout).to.include(`Sandbox running at https://127.0.0.1:${port} (tool tf-test`)
    expect(stdout).to.include('eval "$(toolforge sandbox env --data-dir')
  })

  it('refuses to start twice, with exit 1', async () => {
    const {stderr, exitCode} = await run(['sandbox', 'start', '--data-dir', dataDir, '--port', String(port)])
    expect(exitCode).to.equal(1)
    expect(stderr).to.match(/ERROR: The sandbox is already running \(pid \d+, port \d+/)
  })

  it('reports status as JSON', async () => {
    const {stdout, exitCode} = await run(['sandbox', 'status', '--data-dir', dataDir, '--json'])
    expect(exitCode).to.equal(0)
    expect(JSON.parse(stdout)).to.include({running: true, healthy: true, port, tool: 'tf-test'})
  })

  it('prints eval-able exports that make other commands talk to the sandbox', async () => {
    const {stdout} = await run(['sandbox', 'env', '--data-dir', dataDir])
    const env: Record<string, string> = {}
    for (const line of stdout.trim().split('\n')) {
      const match = /^export (\w+)=(.*)$/.exec(line)
      expect(match, line).to.not.equal(null)
      env[match![1]] = match![2].replace(/^'|'$/g, '')
    }

    expect(Object.keys(env).sort()).to.deep.equal(['KUBECONFIG', 'TOOLFORGE_CA_FILE', 'TOOL_TOOLFORGE_API_URL'])
    expect(env.TOOL_TOOLFORGE_API_URL).to.equal(`https://127.0.0.1:${port}`)
    const saved = {...process.env}
    Object.assign(process.env, env)
    try {
      const list = await run(['jobs', 'list', '--json'])
      expect(list.exitCode, list.stderr).to.equal(0)
      expect(JSON.parse(list.stdout)).to.deep.equal({jobs: []})
    } finally {
      for (const key of Object.keys(env)) {
        if (saved[key] === undefined) delete process.env[key]
        else process.env[key] = saved[key]
      }
    }
  })

  it('stops, then says a stopped sandbox is not running (exit 1)', async () => {
    const stop = await run(['sandbox', 'stop', '--data-dir', dataDir])
    expect(stop.exitCode).to.equal(0)
    expect(stop.stdout).to.match(/Sandbox stopped \(pid \d+\)/)
    const again = await run(['sandbox', 'stop', '--data-dir', dataDir])
    expect(again.exitCode).to.equal(1)
    expect(again.stderr).to.include('ERROR: The sandbox is not running')
  })

  it('reset without a terminal and without --yes keeps the state', async () => {
    const {stderr, exitCode} = await run(['sandbox', 'reset', '--data-dir', dataDir])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include('Not confirmed (there is no terminal to ask on): pass --yes to go ahead.')
    expect(existsSync(join(dataDir, 'certs'))).to.equal(true)
  })

  it('reset --yes wipes the state', async () => {
    expect(existsSync(join(dataDir, 'certs'))).to.equal(true)
    const {stdout, exitCode} = await run(['sandbox', 'reset', '--data-dir', dataDir, '--yes'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.include('Sandbox state wiped')
    expect(existsSync(join(dataDir, 'certs'))).to.equal(false)
  })

  it('env before any start is a clear user error', async () => {
    const {stderr, exitCode} = await run(['sandbox', 'env', '--data-dir', dataDir])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include('has not been started yet')
  })
})
