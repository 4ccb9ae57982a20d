import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {once} from 'node:events'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {freePort} from '../../../src/sandbox/proxy.js'
import {allowLoopback, cleanup, clientFor, processAlive, tempDir, waitFor} from '../../sandbox/helpers.js'

// Ctrl-C reaches `sandbox start --foreground` as a real SIGINT, so the command runs from the sources
// in a process of its own (bin/dev.js), as a person would run it in a terminal.
const DEV = fileURLToPath(new URL('../../../bin/dev.js', import.meta.url))

interface Foreground {
  child: ChildProcess
  output(): {stdout: string; stderr: string}
  exited: Promise<number | null>
}

function startForeground(args: string[], home: string): Foreground {
  const child = spawn(process.execPath, [DEV, 'sandbox', 'start', '--foreground', ...args], {
    env: {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, NO_COLOR: '1'},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk))
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk))
  return {
    child,
    output: () => ({stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8')}),
    exited: once(child, 'close').then(([code]) => code as number | null),
  }
}

/** A test that fails must not leave the job behind: its shell leads the process group. */
function killGroupOf(pid: number): void {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    process.kill(-Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]), 'SIGKILL')
  } catch {
    // Gone already.
  }
}

describe('sandbox start --foreground: Ctrl-C', function () {
  this.timeout(60_000)
  let dataDir: string
  let home: string
  let running: Foreground | undefined

  beforeEach(() => {
    allowLoopback()
    dataDir = tempDir('tf-sandbox-fg-')
    home = tempDir('tf-sandbox-fg-home-')
  })
  afterEach(async () => {
    if (running?.child.exitCode === null) {
      running.child.kill('SIGKILL')
      await running.exited
    }
    running = undefined
    cleanup(dataDir)
    cleanup(home)
  })

  it('stops every job, removes the pid file and exits 130', async () => {
    const port = await freePort()
    running = startForeground(['--data-dir', dataDir, '--port', String(port)], home)
    await waitFor(() => running!.output().stdout.includes('Sandbox running at') || undefined, 30_000, 'the sandbox to start')
    expect(existsSync(join(dataDir, 'sandbox.pid'))).to.equal(true)

    const certs = join(dataDir, 'toolskube')
    const client = clientFor(port, {cert: readFileSync(join(certs, 'client.crt')), key: readFileSync(join(certs, 'client.key'))}, readFileSync(join(dataDir, 'certs', 'ca.crt')))
    const created = await client.call('POST', '/jobs/v1/tool/tf-test/jobs/', {name: 'bg', cmd: 'sleep 300 & echo $! > bg.pid; wait', imagename: 'bookworm', continuous: true})
    expect(created.status).to.equal(201)
    const pidPath = join(dataDir, 'home', 'tf-test', 'bg.pid')
    await waitFor(() => (existsSync(pidPath) && readFileSync(pidPath, 'utf8').trim() !== '') || undefined, 10_000, 'the job to start')
    const job = Number(readFileSync(pidPath, 'utf8'))
    expect(processAlive(job)).to.equal(true)

    running.child.kill('SIGINT')
    const code = await running.exited
    const {stdout, stderr} = running.output()
    const alive = await waitFor(() => !processAlive(job) || undefined, 5000, 'the job process to be gone').then(() => false, () => true)
    if (alive) killGroupOf(job)
    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).to.equal(130)
    expect(existsSync(join(dataDir, 'sandbox.pid')), 'pid file').to.equal(false)
    expect(alive, 'job process left running').to.equal(false)
    expect(stderr).to.include('\nStopping the sandbox and every job it started…\n')
    expect(stdout).to.match(/\nSandbox stopped\n$/)
  })

  it('under --json: the start document, then the interrupted error line', async () => {
    const port = await freePort()
    running = startForeground(['--data-dir', dataDir, '--port', String(port), '--json'], home)
    await waitFor(() => existsSync(join(dataDir, 'sandbox.pid')) || undefined, 30_000, 'the sandbox to start')
    running.child.kill('SIGINT')
    const code = await running.exited
    const {stdout, stderr} = running.output()
    expect(code, stderr).to.equal(130)
    expect(JSON.parse(stdout)).to.include({port, tool: 'tf-test', dataDir})
    expect(JSON.parse(stderr.trim().split('\n').at(-1)!)).to.deep.equal({error: {message: 'interrupted', exit_code: 130}})
    expect(existsSync(join(dataDir, 'sandbox.pid'))).to.equal(false)
  })
})
