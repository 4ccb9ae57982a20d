import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {setTimeout as sleep} from 'node:timers/promises'

import {expect} from 'chai'
import nock from 'nock'

import {run} from '../helpers/run.js'
import {closedPort} from '../helpers/stubs.js'
import {CLI_BIN, CLI_NODE_ARGS, sendJson, startRecordingServer} from '../helpers/subprocess.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'

// The exit codes README promises, across topics, in one place:
// 0 ok · 1 user error or failed job · 2 server/connection error, timeout or usage error · 127 unknown
// command · 130 Ctrl-C. Under --json the code is the same and stderr is one JSON line.

const JOB = {name: 'myjob', cmd: './run.sh', imagename: 'python3.11', job_type: 'one-off'}

describe('exit codes', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv({extraEnv: {CI: '1', TOOLFORGE_WAIT_INTERVAL_MS: '1'}})
  })
  afterEach(() => {
    delete process.env.KUBECONFIG
    tool.restore()
  })

  const cases: Array<{name: string; args: string[]; code: number; noJson?: boolean; mock?: () => void}> = [
    {name: 'success', args: ['jobs', 'list'], code: 0, mock: () => nock(API).get(`${JOBS}/jobs`).query(true).reply(200, {jobs: [JOB]})},
    {name: 'HTTP 404 (jobs)', args: ['jobs', 'show', 'nope'], code: 1, mock: () => nock(API).get(`${JOBS}/jobs/nope`).query(true).reply(404, {error: ["Job 'nope' does not exist"]})},
    {name: 'HTTP 403 (envvars)', args: ['envvars', 'list'], code: 1, mock: () => nock(API).get('/envvars/v1/tool/mytool/envvars').reply(403, {error: ['Forbidden']})},
    {name: 'invalid input (envvars name)', args: ['envvars', 'create', 'bad-name', 'x'], code: 1},
    {name: 'missing tool account', args: ['build', 'list'], code: 1, mock: () => (process.env.KUBECONFIG = '/nonexistent/kubeconfig')},
    {
      name: 'a job that failed (jobs wait)',
      args: ['jobs', 'wait', 'myjob'],
      code: 1,
      mock: () => nock(API).get(`${JOBS}/jobs/myjob`).query(true).twice().reply(200, {job: {...JOB, status_short: 'Failed', status: {short: 'failed'}}}),
    },
    {name: 'policy violations', args: ['policy', 'check', '-f', '/dev/null', '--tool', 'mytool', '--uid', '52345'], code: 1},
    {name: 'HTTP 500 (build)', args: ['build', 'list'], code: 2, mock: () => nock(API).get('/builds/v1/tool/mytool/builds').times(4).reply(500, {error: ['boom']})},
    {
      name: 'timeout (jobs wait)',
      args: ['jobs', 'wait', 'myjob', '--timeout', '1'],
      code: 2,
      mock: () => nock(API).get(`${JOBS}/jobs/myjob`).query(true).times(10_000).reply(200, {job: {...JOB, status_short: 'Running', status: {short: 'running'}}}),
    },
    {name: 'usage: unknown flag', args: ['jobs', 'list', '--nope'], code: 2},
    {name: 'usage: missing argument', args: ['jobs', 'show'], code: 2},
    {name: 'usage: bad option value', args: ['jobs', 'list', '-o', 'wide'], code: 2},
    {name: 'usage: an option without its value', args: ['jobs', 'run', 'x', '--image', 'python3.11', '--command'], code: 2},
    {name: 'usage: an option without its value (build)', args: ['build', 'start', 'https://gitlab.wikimedia.org/x/y', '--ref'], code: 2},
    // It prints a script, not data, so it has no --json.
    {name: 'usage: a value outside the choices (completion)', args: ['completion', 'fish'], code: 2, noJson: true},
    {name: 'unknown command', args: ['jobz', 'list'], code: 127},
  ]

  for (const c of cases) {
    const title = c.code === 0 || c.code === 127 || c.noJson ? `${c.name}: ${c.code}` : `${c.name}: ${c.code}, also under --json, ending stderr with one JSON error line`
    it(title, async () => {
      c.mock?.()
      const plain = await run(c.args)
      expect(plain.exitCode, plain.stderr).to.equal(c.code)
      if (c.code === 127 || c.code === 0 || c.noJson) return
      nock.cleanAll()
      c.mock?.()
      const json = await run([...c.args, '--json'])
      expect(json.exitCode, json.stderr).to.equal(c.code)
      // Warnings may come first (they are for people); the error itself is the last line, in JSON.
      const lines = json.stderr.trimEnd().split('\n')
      expect(JSON.parse(lines.at(-1)!).error).to.include({exit_code: c.code})
      for (const line of lines.slice(0, -1)) expect(line).to.match(/^WARNING: /)
    })
  }

  it('connection refused: 2', async () => {
    tool.restore()
    tool = makeToolEnv({apiUrl: `http://127.0.0.1:${await closedPort()}`, extraEnv: {TOOLFORGE_RETRIES: '0'}})
    nock.enableNetConnect('127.0.0.1')
    try {
      const {exitCode, stderr} = await run(['jobs', 'list'])
      expect(exitCode, stderr).to.equal(2)
    } finally {
      nock.disableNetConnect()
    }
  })

  for (const json of [false, true]) {
    it(`Ctrl-C while \`jobs wait\` blocks on a running job: 130, promptly${json ? ', with a JSON error line under --json' : ''}`, async function () {
      this.timeout(60_000)
      const server = await startRecordingServer((_request, res) => sendJson(res, 200, {job: {...JOB, status_short: 'Running', status: {short: 'running'}}}))
      const child = spawn(process.execPath, [...CLI_NODE_ARGS, CLI_BIN, 'jobs', 'wait', 'myjob', '--timeout', '600', ...(json ? ['--json'] : [])], {
        env: {PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1', ...tool.env, TOOL_TOOLFORGE_API_URL: server.url, TOOLFORGE_WAIT_INTERVAL_MS: '50'},
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      try {
        // Interrupt only once the command is really waiting: it has polled the job at least twice.
        const deadline = Date.now() + 30_000
        while (server.requests.length < 2 && Date.now() < deadline) await sleep(50)
        expect(server.requests.length, stderr).to.be.at.least(2)
        const interrupted = Date.now()
        child.kill('SIGINT')
        const [code] = (await once(child, 'close')) as [number | null]
        expect(code, stderr).to.equal(130)
        expect(Date.now() - interrupted).to.be.below(5000)
        expect(stderr).to.not.include('Error:')
        if (json) expect(JSON.parse(stderr.trim().split('\n').at(-1)!)).to.deep.equal({error: {message: 'interrupted', exit_code: 130}})
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL')
        await server.close()
      }
    })
  }
})
