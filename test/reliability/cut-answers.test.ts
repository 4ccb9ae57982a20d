import {expect} from 'chai'

import {ServerError} from '../../src/api/errors.js'
import {HttpClient} from '../../src/api/http.js'
import {run} from '../helpers/run.js'
import {ENVVARS, type FaultEnv, faultEnv, job, JOBS} from './env.js'
import type {Fault} from './fault-server.js'
import {check} from './tally.js'

// Answers that start well and never finish: the status line says 200, then the connection drops in the
// middle of the body. That is a dropped connection, not an HTTP answer. And answers too large to hold.

const cutAfter = (...chunks: string[]): Fault => ({chunks, cut: true, headers: {'Content-Type': 'application/json'}})
const CLOSED = /^ERROR: The connection to the jobs service at http:\/\/127\.0\.0\.1:\d+\/jobs\/v1\/tool\/mytool\/jobs was closed while reading the answer \(HTTP 200, .+\)$/

describe('reliability: a connection dropped in the middle of an answer', () => {
  let env: FaultEnv
  beforeEach(async () => {
    env = await faultEnv()
  })
  afterEach(async () => env.close())

  it('GET: retried like a reset before the answer, then succeeds', async () => {
    env.server.on('GET', `${JOBS}/jobs`, cutAfter('{"jobs": [{"na'), cutAfter('{"jobs": '), {status: 200, body: {jobs: [job('a')]}})
    const result = await run(['jobs', 'list', '-o', 'name'])
    check(result, {exit: 0})
    expect(result.stdout).to.equal('a\n')
    expect(env.server.count('GET')).to.equal(3)
  })

  it('GET for good: 1 try + 3 retries, a message that says what happened, exit 2', async () => {
    env.server.on('GET', `${JOBS}/jobs`, cutAfter('{"jobs": [{"na'))
    const result = await run(['jobs', 'list'])
    check(result, {exit: 2})
    expect(result.stderr.split('\n')[0]).to.match(CLOSED)
    expect(result.stderr).not.to.include('HTTP 200 OK')
    expect(env.server.count('GET')).to.equal(4)
  })

  describe('jobs run (POST): never repeated, the job looked up as after any lost answer', () => {
    const RUN = ['jobs', 'run', 'myjob', '--command', './run.sh', '--image', 'bookworm']
    const cases: [string, Fault, number, RegExp][] = [
      ['job present', {status: 200, body: {job: job('myjob')}}, 0, /WARNING: the jobs API did not confirm the request \(The connection .* was closed while reading the answer .*\), but job 'myjob' exists .* it was created/],
      ['job absent', {status: 404, body: {error: ["Job 'myjob' does not exist"]}}, 2, /closed while reading the answer.*Job 'myjob' was not created .*safe to run the command again/],
    ]
    for (const [label, lookup, exit, message] of cases) {
      it(`${label} → exit ${exit}`, async () => {
        env.server.on('POST', `${JOBS}/jobs`, cutAfter('{"job": {"name": "myj'))
        env.server.on('GET', `${JOBS}/jobs/myjob`, lookup)
        const result = await run(RUN)
        check(result, {exit}, label)
        expect(env.server.count('POST')).to.equal(1)
        expect(env.server.count('GET', `${JOBS}/jobs/myjob`)).to.equal(1)
        expect(result.stderr.replaceAll('\n', ' ')).to.match(message)
      })
    }
  })

  it('other POSTs (envvars create) report it, exit 2, sent once', async () => {
    env.server.on('POST', `${ENVVARS}/envvars`, cutAfter('{"envvar": {"name": "X", "val'))
    const result = await run(['envvars', 'create', 'MY_VAR', 'some-value'])
    check(result, {exit: 2, secrets: ['some-value']})
    expect(result.stderr).to.match(/^ERROR: The connection to the envvars service at .+ was closed while reading the answer/)
    expect(env.server.count('POST')).to.equal(1)
  })
})

describe('reliability: answers too large to hold', () => {
  let env: FaultEnv
  beforeEach(async () => {
    env = await faultEnv()
  })
  afterEach(async () => env.close())

  const failure = (request: Promise<unknown>) =>
    request.then(
      () => expect.fail('the request succeeded'),
      (error: unknown) => error as ServerError,
    )
  const client = (url: string, maxResponseBytes?: number) =>
    new HttpClient({baseUrl: `${url}${JOBS}`, userAgent: 'test', timeoutSeconds: 10, service: 'jobs', retries: 0, maxResponseBytes})

  it('a buffered answer over the limit ends with a clear error naming it (exit 2), not with memory exhausted', async () => {
    const chunk = `"${'x'.repeat(64 * 1024)}",`
    env.server.on('GET', `${JOBS}/jobs`, {chunks: ['{"jobs": [', ...Array.from({length: 40}, () => chunk)], intervalMs: 1})
    const error = await failure(client(env.server.url, 1024 * 1024).get('/jobs'))
    expect(error).to.be.instanceOf(ServerError)
    expect(error.message).to.match(/^The answer of the jobs service at http:\/\/127\.0\.0\.1:\d+\/jobs\/v1\/tool\/mytool\/jobs is larger than 1 MiB, the most the CLI reads; it was not read$/)
    expect(error.exitCode).to.equal(2)
  })

  it('the default limit is 64 MiB', async () => {
    const mib = 'x'.repeat(1024 * 1024)
    env.server.on('GET', `${JOBS}/jobs`, {chunks: Array.from({length: 65}, () => mib), intervalMs: 0})
    const error = await failure(client(env.server.url).get('/jobs'))
    expect(error.message).to.match(/is larger than 64 MiB, the most the CLI reads/)
  })
})
