import {expect} from 'chai'
import nock from 'nock'
import {createServer, type Server} from 'node:http'
import {Readable} from 'node:stream'
import {setTimeout as sleep} from 'node:timers/promises'

import {run} from '../../helpers/run.js'
import {closedPort} from '../../helpers/stubs.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../../helpers/tool-env.js'

const R1 = {pod: 'mybot-7d9c-x2x4q', container: 'job', datetime: '2025-10-15T19:45:01+00:00', message: 'starting up'}
const R2 = {pod: 'mybot-7d9c-x2x4q', container: 'job', datetime: '2025-10-15T19:45:02+00:00', message: 'listening on :8080 — ok'}
const R3 = {pod: 'mybot-7d9c-abcde', container: 'job', datetime: '2025-10-15T19:45:03+00:00', message: ''}
const NDJSON = [R1, R2, R3].map((r) => JSON.stringify(r) + '\n').join('')
const TEXT = [
  '2025-10-15T19:45:01+00:00 [mybot-7d9c-x2x4q] [job] starting up',
  '2025-10-15T19:45:02+00:00 [mybot-7d9c-x2x4q] [job] listening on :8080 — ok',
  '2025-10-15T19:45:03+00:00 [mybot-7d9c-abcde] [job] ',
  '',
].join('\n')
const HEADERS = {'Content-Type': 'text/plain; charset=utf8', 'X-Accel-Buffering': 'no'}

/** A response body delivered in pieces that split records (multi-byte splits: test/jobs/logs.test.ts). */
function chunked(text: string, size = 61): Readable {
  const bytes = Buffer.from(text)
  return Readable.from(
    (async function* () {
      for (let i = 0; i < bytes.length; i += size) {
        await sleep(1)
        yield bytes.subarray(i, i + size)
      }
    })(),
  )
}

const logsPath = (name: string) => `${JOBS}/jobs/${name}/logs`

describe('jobs logs', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv()
  })
  afterEach(() => tool.restore())

  it('prints each record as "<datetime> [<pod>] [<container>] <message>"', async () => {
    const scope = nock(API).get(logsPath('mybot')).query({follow: 'false'}).reply(200, () => chunked(NDJSON), HEADERS)
    const {stdout, stderr, exitCode} = await run(['jobs', 'logs', 'mybot'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal(TEXT)
    expect(scope.isDone()).to.equal(true)
  })

  it('copes with a last record without newline and with blank lines', async () => {
    const body = `\n${JSON.stringify(R1)}\n\n${JSON.stringify(R2)}`
    nock(API).get(logsPath('mybot')).query(true).reply(200, () => chunked(body, 17), HEADERS)
    const {stdout, exitCode} = await run(['jobs', 'logs', 'mybot'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(TEXT.split('\n').slice(0, 2).join('\n') + '\n')
  })

  it('prints nothing for no logs', async () => {
    nock(API).get(logsPath('mybot')).query(true).reply(200, '', HEADERS)
    const {stdout, stderr, exitCode} = await run(['jobs', 'logs', 'mybot'])
    expect(exitCode).to.equal(0)
    expect(stdout + stderr).to.equal('')
  })

  it('skips a malformed line with a warning and carries on (exit 0)', async () => {
    const body = `${JSON.stringify(R1)}\n<html>oops</html>\n${JSON.stringify(R2)}\n`
    nock(API).get(logsPath('mybot')).query(true).reply(200, body, HEADERS)
    const {stdout, stderr, exitCode} = await run(['jobs', 'logs', 'mybot'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(TEXT.split('\n').slice(0, 2).join('\n') + '\n')
    expect(stderr).to.equal('WARNING: skipping a log record that is not valid JSON: <html>oops</html>\n')
  })

  it('sends --last as lines (both -l N and --last=N)', async () => {
    const scope = nock(API)
      .get(logsPath('mybot'))
      .query({follow: 'false', lines: '1'})
      .reply(200, JSON.stringify(R3) + '\n', HEADERS)
      .get(logsPath('mybot'))
      .query({follow: 'false', lines: '5000'})
      .reply(200, JSON.stringify(R3) + '\n', HEADERS)
    expect((await run(['jobs', 'logs', 'mybot', '--last=1'])).stdout).to.equal('2025-10-15T19:45:03+00:00 [mybot-7d9c-abcde] [job] \n')
    expect((await run(['jobs', 'logs', '-l', '5000', 'mybot'])).exitCode).to.equal(0)
    expect(scope.isDone()).to.equal(true)
  })

  it('rejects --last over the server limit with the server message, without a request (exit 1)', async () => {
    const {stdout, stderr, exitCode} = await run(['jobs', 'logs', 'mybot', '--last', '5001'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('ERROR: Requested number of 5001 lines is over limit of 5000\n')
  })

  const BAD_LAST = [
    ['0', 'Expected an integer greater than or equal to 1 but received: 0'],
    ['-3', 'Expected an integer greater than or equal to 1 but received: -3'],
    ['ten', 'Expected an integer but received: ten'],
    ['1.5', 'Expected an integer but received: 1.5'],
  ] as const
  for (const [value, reason] of BAD_LAST) {
    it(`rejects --last=${value} as a usage error without a request (exit 2)`, async () => {
      const {stdout, stderr, exitCode} = await run(['jobs', 'logs', 'mybot', `--last=${value}`])
      expect(exitCode).to.equal(2)
      expect(stdout).to.equal('')
      expect(stderr).to.equal(`ERROR: Parsing --last \n\t${reason}\nSee 'toolforge jobs logs --help'.\n`)
    })
  }

  it('with --json passes each record through as one JSON object per line', async () => {
    const extra = {...R1, stream: 'stderr'}
    nock(API).get(logsPath('mybot')).query(true).reply(200, () => chunked(`${JSON.stringify(extra)}\n${JSON.stringify(R2)}\n`), HEADERS)
    const {stdout, stderr, exitCode} = await run(['jobs', 'logs', 'mybot', '--json'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout.split('\n').map((line) => (line ? JSON.parse(line) : line))).to.deep.equal([extra, R2, ''])
  })

  const API_ERRORS = [
    [404, "Job 'myjob' has file logging enabled, which is incompatible with the logs command", 1],
    [404, "Job 'myjob' does not have any logs available", 1],
    [400, 'Unable to parse lines as integer', 1],
    [500, 'Unknown error (loki unreachable)', 2],
  ] as const
  for (const [status, message, exit] of API_ERRORS) {
    it(`shows the API's ${status} message "${message.slice(0, 40)}…" (exit ${exit})`, async () => {
      nock(API).get(logsPath('myjob')).query(true).reply(status, {error: [message]})
      const {stdout, stderr, exitCode} = await run(['jobs', 'logs', 'myjob'])
      expect(exitCode).to.equal(exit)
      expect(stdout).to.equal('')
      expect(stderr.split('\n')[0]).to.equal(`ERROR: ${message}`)
    })
  }

  it('puts a streamed error under --json as one JSON line on stderr', async () => {
    nock(API).get(logsPath('myjob')).query(true).reply(404, {error: ["Job 'myjob' does not have any logs available"]})
    const {stdout, stderr, exitCode} = await run(['jobs', 'logs', 'myjob', '--json'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(JSON.parse(stderr)).to.deep.equal({error: {message: "Job 'myjob' does not have any logs available", exit_code: 1, status: 404}})
  })

  describe('following', () => {
    let realExit: typeof process.exit
    let exitCalls: (number | string | null | undefined)[]
    beforeEach(() => {
      realExit = process.exit
      exitCalls = []
      // The default Ctrl-C handler exits the process; record that instead of ending mocha.
      process.exit = ((code?: number) => {
        exitCalls.push(code)
      }) as typeof process.exit
    })
    afterEach(() => {
      process.exit = realExit
    })

    it('streams until Ctrl-C, then ends quietly with exit 0 and restores the Ctrl-C handlers', async () => {
      const before = process.rawListeners('SIGINT')
      let release!: () => void
      const quiet = new Promise<void>((resolve) => {
        release = resolve
      })
      let drained = false
      const body = Readable.from(
        (async function* () {
          yield Buffer.from(JSON.stringify(R1) + '\n' + JSON.stringify(R2).slice(0, 9))
          await sleep(5)
          yield Buffer.from(JSON.stringify(R2).slice(9) + '\n')
          // Then nothing for a long time, as with a quiet job.
          drained = true
          await quiet
        })(),
      )
      const scope = nock(API).get(logsPath('mybot')).query({follow: 'true'}).reply(200, () => body, HEADERS)
      const pending = run(['jobs', 'logs', 'mybot', '-f'])
      while (!drained) await sleep(5)
      // The command is now waiting for more log lines: the user presses Ctrl-C.
      await sleep(50)
      process.emit('SIGINT')
      // Should Ctrl-C not end the command, end the stream so the test fails on its assertions, not by timeout.
      const fallback = setTimeout(release, 500)
      try {
        const {stdout, stderr, exitCode} = await pending
        expect(exitCalls).to.deep.equal([])
        expect(exitCode).to.equal(0)
        expect(stderr).to.equal('')
        expect(stdout).to.equal(TEXT.split('\n').slice(0, 2).join('\n') + '\n')
        expect(scope.isDone()).to.equal(true)
        expect(process.rawListeners('SIGINT')).to.deep.equal(before)
      } finally {
        clearTimeout(fallback)
        release()
      }
    })

    it('stops quietly (exit 0) when the reader of stdout goes away, as with `| head`', async () => {
      let drained = false
      let release!: () => void
      const quiet = new Promise<void>((resolve) => {
        release = resolve
      })
      const body = Readable.from(
        (async function* () {
          yield Buffer.from(JSON.stringify(R1) + '\n')
          drained = true
          await quiet
        })(),
      )
      nock(API).get(logsPath('mybot')).query({follow: 'true'}).reply(200, () => body, HEADERS)
      const pending = run(['jobs', 'logs', 'mybot', '-f'])
      while (!drained) await sleep(5)
      await sleep(50)
      process.stdout.emit('error', Object.assign(new Error('write EPIPE'), {code: 'EPIPE'}))
      const fallback = setTimeout(release, 500)
      try {
        const {stdout, stderr, exitCode} = await pending
        expect(exitCalls).to.deep.equal([])
        expect(exitCode).to.equal(0)
        expect(stderr).to.equal('')
        expect(stdout).to.equal(TEXT.split('\n')[0] + '\n')
      } finally {
        clearTimeout(fallback)
        release()
      }
    })

    it('ends with exit 0 when the server closes the stream', async () => {
      nock(API).get(logsPath('mybot')).query({follow: 'true'}).reply(200, () => chunked(NDJSON), HEADERS)
      const {stdout, exitCode} = await run(['jobs', 'logs', 'mybot', '--follow'])
      expect(exitCode).to.equal(0)
      expect(stdout).to.equal(TEXT)
    })
  })

  describe('against a real server', () => {
    let server: Server | undefined
    beforeEach(() => nock.enableNetConnect('127.0.0.1'))
    afterEach(async () => {
      nock.disableNetConnect()
      server?.closeAllConnections()
      await new Promise((resolve) => {
        if (server) server.close(resolve)
        else resolve(undefined)
      })
      server = undefined
    })

    async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
      server = createServer(handler)
      await new Promise<void>((resolve) => {
        server!.listen(0, '127.0.0.1', resolve)
      })
      return `http://127.0.0.1:${(server.address() as {port: number}).port}`
    }

    it('reports a stream cut off mid-way (exit 2) after printing what arrived', async () => {
      const url = await serve((req, res) => {
        res.writeHead(200, HEADERS)
        res.write(JSON.stringify(R1) + '\n' + JSON.stringify(R2).slice(0, 10))
        setTimeout(() => res.socket?.destroy(), 20)
      })
      tool.restore()
      tool = makeToolEnv({apiUrl: url})
      // Without --follow: a follow reconnects instead (test/reliability/logs-follow.test.ts).
      const {stdout, stderr, exitCode} = await run(['jobs', 'logs', 'mybot'])
      expect(exitCode).to.equal(2)
      expect(stdout).to.equal(TEXT.split('\n')[0] + '\n')
      expect(stderr.split('\n')[0]).to.match(/^ERROR: The log stream from the jobs API was cut off \(.+\)$/)
    })

    it('reads the error message of a streamed 404 from a real response', async () => {
      const url = await serve((req, res) => {
        res.writeHead(404, {'Content-Type': 'application/json'})
        res.end(JSON.stringify({error: ["Job 'gone' does not exist"]}))
      })
      tool.restore()
      tool = makeToolEnv({apiUrl: url})
      const {stderr, exitCode} = await run(['jobs', 'logs', 'gone'])
      expect(exitCode).to.equal(1)
      expect(stderr).to.equal("ERROR: Job 'gone' does not exist\n")
    })

    it('explains a refused connection (exit 2, no retries for a stream)', async () => {
      const port = await closedPort()
      tool.restore()
      tool = makeToolEnv({apiUrl: `http://127.0.0.1:${port}`})
      const {stderr, exitCode} = await run(['jobs', 'logs', 'mybot', '--debug'])
      expect(exitCode).to.equal(2)
      expect(stderr).not.to.include('retry 1')
      expect(stderr).to.match(/ERROR: Unable to reach the jobs service at http:\/\/127\.0\.0\.1:\d+\/jobs\/v1\/tool\/mytool\/jobs\/mybot\/logs \(ECONNREFUSED/)
    })
  })
})
