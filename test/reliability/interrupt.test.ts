import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {fileURLToPath} from 'node:url'

import {CLI_BIN, CLI_NODE_ARGS} from '../helpers/subprocess.js'
import {BUILDS, type FaultEnv, faultEnv, job, JOBS} from './env.js'
import {check} from './tally.js'

// Ctrl-C as a person at a terminal gives it: a real SIGINT to a real process. Exit 130 promptly, except
// for the follow modes of `jobs logs` and `build logs`, where Ctrl-C is the normal way to stop (exit 0).

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

interface Interrupted {
  stdout: string
  stderr: string
  exitCode: number
  /** From the SIGINT to the exit. */
  reactionMs: number
}

/** Runs the CLI, sends SIGINT once `ready()` holds, and reports how it ended. */
async function interrupt(args: string[], env: FaultEnv, ready: () => boolean): Promise<Interrupted> {
  const child = spawn(process.execPath, [...CLI_NODE_ARGS, CLI_BIN, ...args], {
    cwd: ROOT,
    env: {PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1', TOOLFORGE_WAIT_INTERVAL_MS: '50', ...env.tool.env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
  const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>
  const killer = setTimeout(() => child.kill('SIGKILL'), 25_000)
  try {
    while (!ready()) {
      if (child.exitCode !== null) break
      await sleep(20)
    }

    // Past the point of interest, so the command is well inside the wait, the stream or the request.
    await sleep(150)
    const sent = Date.now()
    child.kill('SIGINT')
    const [code] = await closed
    return {stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode: code ?? -1, reactionMs: Date.now() - sent}
  } finally {
    clearTimeout(killer)
  }
}

describe('reliability: Ctrl-C', function () {
  // Each case starts a CLI process.
  this.timeout(30_000)
  let env: FaultEnv
  beforeEach(async () => {
    env = await faultEnv()
  })
  afterEach(async () => env.close())

  it('jobs run --wait: exit 130 promptly', async () => {
    env.server.on('POST', `${JOBS}/jobs`, {status: 201, body: {job: job('myjob')}})
    env.server.on('GET', `${JOBS}/jobs/myjob`, {status: 200, body: {job: job('myjob')}})
    const result = await interrupt(['jobs', 'run', 'myjob', '--command', './run.sh', '--image', 'bookworm', '--wait'], env, () => env.server.count('GET') >= 2)
    check(result, {exit: 130})
    expect(result.reactionMs).to.be.lessThan(2000)
  })

  it('jobs logs (no --follow) in the middle of a slow stream: exit 130', async () => {
    const line = JSON.stringify({pod: 'p', container: 'job', datetime: '2025-10-15T19:45:01+00:00', message: 'x'}) + '\n'
    env.server.on('GET', `${JOBS}/jobs/myjob/logs`, {chunks: Array(400).fill(line), intervalMs: 50})
    const result = await interrupt(['jobs', 'logs', 'myjob'], env, () => env.server.count('GET') >= 1)
    check(result, {exit: 130})
    expect(result.reactionMs).to.be.lessThan(2000)
  })

  it('jobs logs --follow: Ctrl-C is how it ends, exit 0', async () => {
    const line = JSON.stringify({pod: 'p', container: 'job', datetime: '2025-10-15T19:45:01+00:00', message: 'x'}) + '\n'
    env.server.on('GET', `${JOBS}/jobs/myjob/logs`, {chunks: [line, line], intervalMs: 10_000})
    const result = await interrupt(['jobs', 'logs', 'myjob', '--follow'], env, () => env.server.count('GET') >= 1)
    check(result, {exit: 0})
    expect(result.stdout).to.equal('2025-10-15T19:45:01+00:00 [p] [job] x\n')
  })

  it('jobs load: exit 130, after saying which jobs were applied and which was under way', async () => {
    const names = ['one', 'two', 'three', 'four', 'five']
    const file = join(env.tool.home, 'jobs.yaml')
    writeFileSync(file, names.map((name) => `- {name: ${name}, command: ./x.sh, image: bookworm, schedule: "@daily"}`).join('\n') + '\n')
    const done = {status: 200, body: {job_changed: true, messages: {}}}
    env.server.on('PATCH', `${JOBS}/jobs`, done, done, {hang: true})
    const result = await interrupt(['jobs', 'load', file], env, () => env.server.count('PATCH') >= 3)
    check(result, {exit: 130})
    expect(result.reactionMs).to.be.lessThan(2000)
    expect(result.stderr).to.include('WARNING: interrupted: 2 job(s) loaded before the interrupt: one, two\n')
    expect(result.stderr).to.include("WARNING: the request for job 'three' was under way: it may or may not have been applied\n")
    expect(result.stderr).to.include('WARNING: not loaded: four, five\n')
  })

  it('build start: exit 130, and how to find the build again', async () => {
    env.server.on('POST', `${BUILDS}/builds`, {status: 200, body: {new_build: {name: 'mytool-buildpacks-pipelinerun-x7k2p'}, messages: {}}})
    env.server.on('GET', `${BUILDS}/builds/mytool-buildpacks-pipelinerun-x7k2p/logs`, {chunks: ['{"line": "step 1"}\n', '{"line": "step 2"}\n'], intervalMs: 10_000})
    const result = await interrupt(['build', 'start', 'https://gitlab.wikimedia.org/toolforge-repos/my-tool'], env, () => env.server.count('GET') >= 1)
    check(result, {exit: 130})
    expect(result.reactionMs).to.be.lessThan(2000)
    expect(result.stderr).to.include("toolforge build logs -f mytool-buildpacks-pipelinerun-x7k2p")
  })
})
