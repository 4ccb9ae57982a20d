import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import nock from 'nock'

import {sandboxEnv, startSandbox, stopSandbox} from '../../src/sandbox/control.js'
import {CLI_BIN, CLI_NODE_ARGS} from '../helpers/subprocess.js'
import {closedPort} from '../helpers/stubs.js'
import {processAlive} from '../sandbox/helpers.js'
import {check} from './tally.js'

// The sandbox killed (-9) while `jobs load` writes many jobs, then started again: what it lists must be a
// prefix of the file (writes are applied in order, none half-done), holding every job the CLI reported
// as loaded (no acknowledged write lost), and at most the one that was in flight besides.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const NAMES = Array.from({length: 40}, (_, i) => `job-${String(i).padStart(2, '0')}`)

function cli(args: string[], env: Record<string, string>, onStderr?: (text: string) => void): Promise<{stdout: string; stderr: string; exitCode: number}> {
  const child = spawn(process.execPath, [...CLI_NODE_ARGS, CLI_BIN, ...args], {cwd: ROOT, env: {PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1', ...env}, stdio: ['ignore', 'pipe', 'pipe']})
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => {
    err.push(chunk)
    onStderr?.(Buffer.concat(err).toString('utf8'))
  })
  return (once(child, 'close') as Promise<[number | null]>).then(([code]) => ({stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode: code ?? -1}))
}

describe('reliability: the sandbox killed during jobs load', function () {
  this.timeout(60_000)
  let dataDir: string
  let home: string
  before(() => {
    nock.enableNetConnect('127.0.0.1')
    dataDir = mkdtempSync(join(tmpdir(), 'tf-crash-'))
    home = mkdtempSync(join(tmpdir(), 'tf-crash-home-'))
  })
  after(async () => {
    await stopSandbox({dataDir}).catch(() => undefined)
    rmSync(dataDir, {recursive: true, force: true})
    rmSync(home, {recursive: true, force: true})
    nock.disableNetConnect()
  })

  it('keeps a consistent prefix that holds every job reported as loaded', async () => {
    const port = await closedPort()
    const first = await startSandbox({dataDir, port, tool: 'mytool'})
    const env = {HOME: home, TOOLFORGE_RETRY_BASE_MS: '5', ...sandboxEnv({dataDir})}
    const file = join(home, 'jobs.yaml')
    writeFileSync(file, NAMES.map((name) => `- {name: ${name}, command: ./run.sh, image: bookworm, schedule: "@daily"}`).join('\n') + '\n')

    let killed = false
    const load = await cli(['jobs', 'load', file, '--json'], env, (stderr) => {
      if (killed || !stderr.includes(`loading job '${NAMES[12]}'`)) return
      killed = true
      process.kill(first.pid, 'SIGKILL')
    })
    expect(killed, load.stderr).to.equal(true)
    check(load, {exit: 2})
    const results = JSON.parse(load.stdout) as {name: string; status: string}[]
    const loaded = results.filter((r) => r.status === 'loaded').map((r) => r.name)
    expect(loaded.length).to.be.greaterThan(0)

    while (processAlive(first.pid)) await new Promise((resolve) => setTimeout(resolve, 50))
    await startSandbox({dataDir, port, tool: 'mytool'})
    const list = await cli(['jobs', 'list', '--json'], env)
    check(list, {exit: 0})
    const present = (JSON.parse(list.stdout) as {jobs: {name: string}[]}).jobs.map((j) => j.name).sort()
    expect(present, 'a prefix of the file').to.deep.equal(NAMES.slice(0, present.length))
    expect(present, 'every acknowledged job').to.include.members(loaded)
    expect(present.length - loaded.length, 'at most the job in flight besides').to.be.at.most(1)
  })
})
