import {expect} from 'chai'
import nock from 'nock'

import {logViolations, type PrismServer, startPrism} from '../helpers/prism.js'
import {runCli} from '../helpers/subprocess.js'
import {makeToolEnv} from '../helpers/tool-env.js'

// The contract suite is only worth something if the harness can fail: these checks send requests that
// break jobs-api.yaml and require the harness to flag each of them, whichever way Prism reports it
// (a 400 with sl-violations, a 422, a 404/406 Prism error, a log line).

const JOBS = '/v1/tool/mytool/jobs'
const JOB = {name: 'my-job', cmd: './run.sh', imagename: 'python3.11', job_type: 'one-off'}

describe('contract harness: Prism flags requests that break the spec', function () {
  this.timeout(60_000)
  let prism: PrismServer

  before(async () => {
    nock.enableNetConnect('127.0.0.1')
    prism = await startPrism('jobs-api.yaml')
  })
  after(async () => {
    await prism?.stop()
    nock.disableNetConnect()
  })
  afterEach(() => prism.setScript(undefined))

  async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{status: number; violations: string[]}> {
    const init: RequestInit = {method, headers: {accept: 'application/json', ...headers}}
    if (body !== undefined) {
      init.body = JSON.stringify(body)
      init.headers = {...init.headers, 'content-type': 'application/json'}
    }

    const response = await fetch(`${prism.url}${path}`, init)
    await response.arrayBuffer()
    prism.takeExchanges()
    return {status: response.status, violations: await prism.takeRequestViolations()}
  }

  it('passes a valid create, so the checks below fail for their own reason', async () => {
    const {status, violations} = await send('POST', JOBS, JOB)
    expect(violations).to.deep.equal([])
    expect(status).to.equal(200)
  })

  it('flags a create without cmd', async () => {
    const {cmd: _cmd, ...withoutCmd} = JOB
    const {status, violations} = await send('POST', JOBS, withoutCmd)
    expect(status).to.equal(400)
    expect(violations.join('\n')).to.match(/required property 'cmd'/)
  })

  it('flags a continuous job whose port is a string', async () => {
    const {status, violations} = await send('POST', JOBS, {...JOB, job_type: 'continuous', port: '8080'})
    expect(status).to.equal(400)
    expect(violations.join('\n')).to.match(/request\.body\.port: Request body property port must be integer/)
  })

  it('flags a PATCH with retry: 9 (maximum 5)', async () => {
    const {status, violations} = await send('PATCH', JOBS, {...JOB, retry: 9})
    expect(status).to.equal(400)
    expect(violations.join('\n')).to.match(/retry must be <= 5/)
  })

  it('flags a create without job_type, which matches two schemas of the oneOf', async () => {
    const {job_type: _type, ...untyped} = JOB
    const {violations} = await send('POST', JOBS, untyped)
    expect(violations.join('\n')).to.match(/must match exactly one schema in oneOf/)
  })

  it('flags an invalid query parameter, which Prism answers 422 without a violation header', async () => {
    const {status, violations} = await send('GET', `${JOBS}?include_unset=maybe`)
    expect(status).to.equal(422)
    expect(violations.join('\n')).to.match(/Prism answered 422 UNPROCESSABLE_ENTITY/)
  })

  it('flags a body sent to an operation that takes none', async () => {
    const {violations} = await send('POST', `${JOBS}/my-job/restart`, {})
    expect(violations.join('\n')).to.match(/non-empty body/)
  })

  it('flags an Accept header the operation cannot satisfy (JSON for text/plain logs)', async () => {
    const {status, violations} = await send('GET', `${JOBS}/my-job/logs`)
    expect(status).to.equal(406)
    expect(violations.join('\n')).to.match(/NOT_ACCEPTABLE/)
  })

  it('flags unknown paths and methods', async () => {
    expect((await send('GET', '/v2/tool/mytool/jobs')).violations.join('\n')).to.match(/NO_PATH_MATCHED_ERROR/)
    expect((await send('PUT', JOBS, JOB)).violations.join('\n')).to.match(/NO_METHOD_MATCHED_ERROR/)
  })

  it('flags a forced status the operation does not declare (a mistake in a test script)', async () => {
    prism.setScript({prefer: () => 'code=405'})
    expect((await send('GET', JOBS)).violations.join('\n')).to.match(/Prism answered 404 NOT_FOUND/)
  })

  it('never lets a scripted answer hide a violation', async () => {
    prism.setScript({respond: () => ({status: 200, body: {job: JOB}})})
    const {status, violations} = await send('POST', JOBS, {...JOB, retry: 9})
    expect(status).to.equal(400)
    expect(violations).not.to.be.empty
  })

  it('reads request mismatches from Prism 5.14 log lines too, and only those', () => {
    const at = '[9:01:47 AM] ›     '
    const lines = [
      `${at}[VALIDATOR] ✖  error     Violation: request.body.port Request body property port must be integer,null`,
      `${at}[HTTP SERVER] get /v2/tool/t/jobs ✖  error     Request terminated with error: https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR: Route not resolved`,
      `${at}[HTTP SERVER] get /v1/x ✖  error     Request terminated with error: https://stoplight.io/prism/errors#SOMETHING_NEW: unknown kinds count`,
      `${at}[HTTP SERVER] get /v1/x/logs ✖  error     Request terminated with error: https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT: Cannot serialise`,
      `${at}[VALIDATOR] ✖  error     Violation: response.body.job.status Response body property job.status must match exactly one schema in oneOf`,
      `${at}[VALIDATOR] ✔  success   The request passed the validation rules. Looking for the best response`,
    ]
    expect(logViolations(lines)).to.deep.equal(lines.slice(0, 3))
  })

  it('flags the CLI when its configuration points at a path the spec does not have', async () => {
    const tool = makeToolEnv({apiUrl: prism.url, config: 'jobs: {jobs_endpoint: /v2}\n'})
    try {
      const {exitCode, stderr} = await runCli(['jobs', 'list'], {env: tool.env})
      const violations = await prism.takeRequestViolations()
      expect(prism.takeExchanges().map((e) => e.url)).to.deep.equal(['/v2/tool/mytool/jobs?include_unset=true'])
      expect(violations.join('\n')).to.match(/GET \/v2\/tool\/mytool\/jobs\?include_unset=true: Prism answered 404 NO_PATH_MATCHED_ERROR/)
      expect(exitCode, stderr).to.equal(1)
    } finally {
      tool.restore()
    }
  })
})
