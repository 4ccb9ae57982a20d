import {expect} from 'chai'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import nock from 'nock'

import {freePort} from '../../../src/sandbox/proxy.js'
import {run} from '../../helpers/run.js'
import {asUid, withEnv} from './env.js'

const REPORT_LINE = 'Please report this issue to the Toolforge admins'

describe('sandbox commands', function () {
  this.timeout(60_000)
  let dataDir: string
  let port: number
  let env: Record<string, string>

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

  it('refuses a --tool that is not a Toolforge tool name, as a usage error', async () => {
    const {stderr, exitCode} = await run(['sandbox', 'start', '--data-dir', dataDir, '--port', String(port), '--tool', '../../esc'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal("ERROR: --tool: '../../esc' is not a Toolforge tool name (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 53 characters)\nSee 'toolforge sandbox start --help'.\n")
    expect(existsSync(join(dataDir, 'certs'))).to.equal(false)
  })

  it('starts in the background and says what to do next; started by root, it warns that jobs run as root', async () => {
    const {stdout, stderr, exitCode} = await asUid(0, () => run(['sandbox', 'start', '--data-dir', dataDir, '--port', String(port)]))
    expect(exitCode).to.equal(0)
    expect(stdout).to.include(`Sandbox running at https://127.0.0.1:${port} (tool tf-test`)
    expect(stdout).to.include('eval "$(toolforge sandbox env --data-dir')
    expect(stderr).to.include("WARNING: running as root: the sandbox's jobs run as the user who starts it, so here as root (uid 0), not as the tool's uid 50001")
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
    env = {}
    for (const line of stdout.trim().split('\n')) {
      const match = /^export (\w+)=(.*)$/.exec(line)
      expect(match, line).to.not.equal(null)
      env[match![1]] = match![2].replace(/^'|'$/g, '')
    }

    expect(Object.keys(env).sort()).to.deep.equal(['KUBECONFIG', 'TOOLFORGE_CA_FILE', 'TOOLFORGE_SANDBOX', 'TOOLFORGE_TOOL_HOME', 'TOOL_TOOLFORGE_API_URL'])
    expect(env.TOOL_TOOLFORGE_API_URL).to.equal(`https://127.0.0.1:${port}`)
    expect(env.TOOLFORGE_TOOL_HOME).to.equal(join(dataDir, 'home', 'tf-test'))
    expect(env.TOOLFORGE_SANDBOX).to.equal(dataDir)
    const json = await run(['sandbox', 'env', '--data-dir', dataDir, '--json'])
    expect(JSON.parse(json.stdout)).to.deep.equal(env)
    const list = await withEnv(env, () => run(['jobs', 'list', '--json']))
    expect(list.exitCode, list.stderr).to.equal(0)
    expect(JSON.parse(list.stdout)).to.deep.equal({jobs: []})
  })

  it('does not ask to report the builds API the sandbox does not have', async () => {
    const builds = await withEnv(env, () => run(['build', 'list']))
    expect(builds.exitCode).to.equal(2)
    expect(builds.stderr).to.include('builds are not available in the sandbox')
    expect(builds.stderr).to.not.include(REPORT_LINE)
  })

  it('stops, then says a stopped sandbox is not running (exit 1)', async () => {
    const stop = await run(['sandbox', 'stop', '--data-dir', dataDir])
    expect(stop.exitCode).to.equal(0)
    expect(stop.stdout).to.match(/Sandbox stopped \(pid \d+\)/)
    const again = await run(['sandbox', 'stop', '--data-dir', dataDir])
    expect(again.exitCode).to.equal(1)
    expect(again.stderr).to.include('ERROR: The sandbox is not running')
  })

  it('stopped: a command pointed at it says how to start it instead of asking to report', async () => {
    // The port this shell was pointed at, unless it is the default one.
    const hint = `Is the sandbox running? Start it with: toolforge sandbox start --data-dir ${dataDir}${port === 30003 ? '' : ` --port ${port}`}`
    const list = await withEnv(env, () => run(['jobs', 'list']))
    expect(list.exitCode).to.equal(2)
    expect(list.stderr).to.include(`ERROR: Unable to reach the jobs service at https://127.0.0.1:${port}/`)
    expect(list.stderr).to.include(`\n${hint}\n`)
    expect(list.stderr).to.not.include(REPORT_LINE)
    const json = await withEnv(env, () => run(['envvars', 'list', '--json']))
    expect(JSON.parse(json.stderr).error.details).to.equal(hint)
  })

  it('starts again as the tool it was first started with, refusing another, without a warning for an ordinary user', async () => {
    const other = await run(['sandbox', 'start', '--data-dir', dataDir, '--port', String(port), '--tool', 'other-tool'])
    expect(other.exitCode).to.equal(1)
    expect(other.stderr).to.include("ERROR: This sandbox's state belongs to tool 'tf-test', which it was first started with")
    const again = await asUid(1000, () => run(['sandbox', 'start', '--data-dir', dataDir, '--port', String(port), '--json']))
    expect(again.exitCode, again.stderr).to.equal(0)
    expect(again.stderr).to.equal('')
    expect(JSON.parse(again.stdout)).to.include({tool: 'tf-test', uid: 50001, toolHome: join(dataDir, 'home', 'tf-test')})
    expect((await run(['sandbox', 'stop', '--data-dir', dataDir])).exitCode).to.equal(0)
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
