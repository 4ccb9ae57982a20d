import {expect} from 'chai'
import nock from 'nock'

import {run} from '../../helpers/run.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../../helpers/tool-env.js'

const SHOW = `${JOBS}/jobs/myjob`
const job = (extra: Record<string, unknown>) => ({job: {name: 'myjob', cmd: './x', imagename: 'bookworm', job_type: 'one-off', ...extra}, messages: {}})

describe('jobs wait', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv()
    process.env.TOOLFORGE_WAIT_INTERVAL_MS = '1'
  })
  afterEach(() => {
    tool.restore()
    delete process.env.TOOLFORGE_WAIT_INTERVAL_MS
  })

  it('exits 0 once the job completed', async () => {
    nock(API)
      .get(SHOW).query({include_unset: 'true'}).reply(200, job({status_short: 'Running for 5s', status: {short: 'running', duration: '5s'}}))
      .get(SHOW).query(true).reply(200, job({status_short: 'Completed', status: {short: 'succeeded', duration: '6s'}}))
    const {stdout, stderr, exitCode} = await run(['jobs', 'wait', 'myjob'])
    expect([exitCode, stdout, stderr]).to.deep.equal([0, "job 'myjob' completed\n", ''])
  })

  it('exits 1 with the show table when the job failed', async () => {
    nock(API).get(SHOW).query(true).reply(200, job({status_short: 'Failed'}))
    const {stderr, exitCode} = await run(['jobs', 'wait', 'myjob'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.match(/^ERROR: job 'myjob' failed:\n\+-+\+/).and.include('| Status:       | Failed')
  })

  it('exits 1 when the job vanished while waiting (Q-JOBS-01 fixed)', async () => {
    nock(API)
      .get(SHOW).query(true).reply(200, job({status_short: 'Running for 5s'}))
      .get(SHOW).query(true).reply(404, {error: ["Job 'myjob' does not exist"]})
    const {stderr, exitCode} = await run(['jobs', 'wait', 'myjob'])
    expect(exitCode).to.equal(1)
    expect(stderr.split('\n')[0]).to.equal("ERROR: job 'myjob' no longer exists; its final state is unknown")
  })

  it('a job that does not exist at all is the API error', async () => {
    nock(API).get(SHOW).query(true).reply(404, {error: ["Job 'myjob' does not exist"]})
    const {stderr, exitCode} = await run(['jobs', 'wait', 'myjob'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal("ERROR: Job 'myjob' does not exist\n")
  })

  it('exits 2 after --timeout', async () => {
    nock(API).get(SHOW).query(true).times(100_000).reply(200, job({status_short: 'Running for 5s'}))
    const {stderr, exitCode} = await run(['jobs', 'wait', 'myjob', '--timeout', '1'])
    nock.cleanAll()
    expect(exitCode).to.equal(2)
    expect(stderr.split('\n')[0]).to.equal("ERROR: timed out 1 seconds waiting for job 'myjob' to complete:")
  })

  it('refuses jobs that never complete', async () => {
    nock(API).get(SHOW).query(true).reply(200, job({job_type: 'continuous', status_short: 'Running'}))
    const {stderr, exitCode} = await run(['jobs', 'wait', 'myjob'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal("ERROR: job 'myjob' is a continuous job; only one-off jobs can be waited for\n")
  })

  it('--json: outcome, elapsed time and the last state', async () => {
    nock(API).get(SHOW).query(true).reply(200, job({status_short: 'Completed'}))
    const {stdout, exitCode} = await run(['jobs', 'wait', 'myjob', '--json'])
    expect(exitCode).to.equal(0)
    const output = JSON.parse(stdout)
    expect(output).to.deep.include({outcome: 'completed'})
    expect(output.job.name).to.equal('myjob')
    expect(output.elapsed_seconds).to.be.a('number')
  })

  it('--timeout must be positive (usage error)', async () => {
    const {exitCode} = await run(['jobs', 'wait', 'myjob', '--timeout', '0'])
    expect(exitCode).to.equal(2)
  })
})
