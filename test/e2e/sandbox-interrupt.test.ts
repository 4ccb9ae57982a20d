import {expect} from 'chai'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import nock from 'nock'

import {freePort} from '../../src/sandbox/proxy.js'
import {expectExit, sandboxProcesses} from '../helpers/sandbox-e2e.js'
import {runCli} from '../helpers/subprocess.js'

// A sandbox of its own in the foreground, stopped with Ctrl-C as in a terminal; then what the commands
// pointed at it say now that it is gone.
describe('e2e sandbox: Ctrl-C in the foreground, then a stopped sandbox', function () {
  this.timeout(90_000)
  let dataDir: string
  let home: string

  before(() => {
    nock.enableNetConnect('127.0.0.1')
    dataDir = mkdtempSync(join(tmpdir(), 'tf-e2e-fg-'))
    home = mkdtempSync(join(tmpdir(), 'tf-e2e-fg-home-'))
  })
  after(() => {
    rmSync(dataDir, {recursive: true, force: true})
    rmSync(home, {recursive: true, force: true})
  })

  it('stops cleanly on Ctrl-C with 130; commands then say how to start it, not to report it', async () => {
    const port = await freePort()
    const started = await runCli(['sandbox', 'start', '--foreground', '--data-dir', dataDir, '--port', String(port)], {
      env: {HOME: home}, interruptWhen: 'toolforge jobs logs hello', timeoutMs: 60_000,
    })
    expectExit(started, 130)
    expect(started.stdout).to.match(/\nSandbox stopped\n$/)
    expect(existsSync(join(dataDir, 'sandbox.pid')), 'pid file').to.equal(false)
    expect(sandboxProcesses(dataDir)).to.deep.equal([])

    const env = JSON.parse(expectExit(await runCli(['sandbox', 'env', '--data-dir', dataDir, '--json'], {env: {HOME: home}}), 0).stdout) as Record<string, string>
    const list = await runCli(['jobs', 'list'], {env: {...env, HOME: home, TOOLFORGE_RETRIES: '0'}})
    expectExit(list, 2)
    const hint = `Is the sandbox running? Start it with: toolforge sandbox start --data-dir ${dataDir}${port === 30003 ? '' : ` --port ${port}`}`
    expect(list.stderr).to.match(new RegExp(`^ERROR: Unable to reach the jobs service at https://127\\.0\\.0\\.1:${port}/.*\\n`))
    expect(list.stderr.split('\n').slice(1)).to.deep.equal([hint, ''])
  })
})
