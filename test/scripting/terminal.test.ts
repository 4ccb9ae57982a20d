import {spawn, spawnSync} from 'node:child_process'
import {once} from 'node:events'
import {join} from 'node:path'

import {expect} from 'chai'

import {CLI_BIN, CLI_NODE_ARGS, type RecordingServer, runCli, sendJson, startRecordingServer} from '../helpers/subprocess.js'
import {JOBS, makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'

// Colour only on a terminal, never with NO_COLOR or --json; no prompt or spinner without a terminal.
// Pipes via the subprocess helper; a real pseudo-terminal via util-linux `script` where it exists.

const ESC = '\u001B['
const HAVE_SCRIPT = spawnSync('script', ['-qec', 'true', '/dev/null']).status === 0
const JOB = {name: 'myjob', cmd: './run.sh', imagename: 'python3.11', job_type: 'one-off', status_short: 'Running'}

function quote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`
}

/** Runs the CLI with stdin, stdout and stderr on one pseudo-terminal; returns what the terminal showed. */
async function onTerminal(args: string[], env: Record<string, string>, stdoutTo?: string): Promise<string> {
  const command = [process.execPath, ...CLI_NODE_ARGS, CLI_BIN, ...args].map(quote).join(' ') + (stdoutTo ? ` > ${quote(stdoutTo)}` : '')
  const child = spawn('script', ['-qec', command, '/dev/null'], {env: {PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm', ...env}, stdio: ['ignore', 'pipe', 'pipe']})
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  await once(child, 'close')
  clearTimeout(timer)
  return out
}

describe('terminal-dependent output', function () {
  this.timeout(90_000)
  let tool: ToolEnv
  let server: RecordingServer
  before(async () => {
    server = await startRecordingServer((request, res) => {
      if (request.method === 'DELETE') sendJson(res, 200, {messages: {}})
      else if (request.url.startsWith(`${JOBS}/jobs/nope`)) sendJson(res, 404, {error: ["Job 'nope' does not exist"]})
      else if (request.url.startsWith(`${JOBS}/jobs?include_unset=false`)) sendJson(res, 200, {jobs: []})
      else sendJson(res, 200, {jobs: [JOB]})
    })
  })
  after(() => server.close())
  beforeEach(() => {
    tool = makeToolEnv({apiUrl: server.url})
    server.requests.length = 0
  })
  afterEach(() => tool.restore())

  describe('through pipes (no NO_COLOR)', () => {
    const piped = (args: string[]) => runCli(args, {env: {...tool.env, NO_COLOR: ''}})

    it('a table, an error and a warning carry no escape codes', async () => {
      const table = await piped(['jobs', 'list'])
      expect(table.stdout).to.include('myjob')
      const error = await piped(['jobs', 'show', 'nope'])
      expect(error.stderr).to.include("ERROR: Job 'nope' does not exist")
      const warning = await piped(['jobs', 'dump'])
      expect(warning.stderr).to.include('WARNING: no jobs defined')
      for (const output of [table, error, warning]) expect(output.stdout + output.stderr).to.not.include(ESC)
    })

    it('a destructive command does not prompt: it acts, as upstream did', async () => {
      const deleted = await runCli(['jobs', 'delete', 'myjob'], {env: tool.env, stdin: ''})
      expect(deleted.exitCode).to.equal(0)
      expect(deleted.stdout + deleted.stderr).to.equal('')
      expect(server.requests.map((r) => r.method)).to.deep.equal(['DELETE'])
    })
  })

  describe('on a pseudo-terminal', function () {
    before(function () {
      if (!HAVE_SCRIPT) this.skip()
    })

    it('colours the table and the error (the control for the tests below)', async () => {
      expect(await onTerminal(['jobs', 'list'], tool.env)).to.include(ESC)
      expect(await onTerminal(['jobs', 'show', 'nope'], tool.env)).to.include(`${ESC}1;31mERROR`)
    })

    it('a redirected stdout turns colour off on stderr too (a script is running it)', async () => {
      const shown = await onTerminal(['jobs', 'show', 'nope'], tool.env, join(tool.home, 'out'))
      expect(shown).to.include("ERROR: Job 'nope' does not exist").and.not.include(ESC)
    })

    it('NO_COLOR turns every colour off', async () => {
      for (const args of [['jobs', 'list'], ['jobs', 'show', 'nope'], ['jobs', 'dump']]) {
        const shown = await onTerminal(args, {...tool.env, NO_COLOR: '1'})
        expect(shown, args.join(' ')).to.not.include(ESC)
      }
    })

    it('--json prints no colour on either stream, even on a terminal', async () => {
      const listed = await onTerminal(['jobs', 'list', '--json'], tool.env)
      expect(JSON.parse(listed).jobs[0].name).to.equal('myjob')
      for (const args of [['jobs', 'show', 'nope', '--json'], ['jobs', 'dump', '--json']]) {
        expect(await onTerminal(args, tool.env), args.join(' ')).to.not.include(ESC)
      }
    })
  })
})
