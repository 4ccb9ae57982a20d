import {expect} from 'chai'
import nock from 'nock'

import {run} from '../../helpers/run.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../../helpers/tool-env.js'

describe('jobs restart', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv()
  })
  afterEach(() => tool.restore())

  it('POSTs the restart and prints only the API messages', async () => {
    const scope = nock(API).post(`${JOBS}/jobs/mybot/restart`).reply(200, {messages: {info: ['Job mybot restarted'], warning: []}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'restart', 'mybot'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Job mybot restarted\n')
    expect(stderr).to.equal('')
    expect(scope.isDone()).to.equal(true)
  })

  it('prints nothing when the API has nothing to say', async () => {
    nock(API).post(`${JOBS}/jobs/mycronjob/restart`).reply(200, {messages: {}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'restart', 'mycronjob'])
    expect(exitCode).to.equal(0)
    expect(stdout + stderr).to.equal('')
  })

  it('with --json prints {restarted: [name]} and moves messages to stderr', async () => {
    nock(API).post(`${JOBS}/jobs/mybot/restart`).reply(200, {messages: {info: ['Job mybot restarted']}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'restart', 'mybot', '--json'])
    expect(exitCode).to.equal(0)
    expect(JSON.parse(stdout)).to.deep.equal({restarted: ['mybot']})
    expect(stderr).to.equal('Job mybot restarted\n')
  })

  it('refuses a one-off job with the API message (exit 1)', async () => {
    nock(API).post(`${JOBS}/jobs/myjob/restart`).reply(400, {error: ['Unable to restart a one-off job']})
    const {stdout, stderr, exitCode} = await run(['jobs', 'restart', 'myjob'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('ERROR: Unable to restart a one-off job\n')
  })

  it('reports a missing job (exit 1)', async () => {
    nock(API).post(`${JOBS}/jobs/nope/restart`).reply(404, {error: ["Job 'nope' does not exist"]})
    const {stderr, exitCode} = await run(['jobs', 'restart', 'nope'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal("ERROR: Job 'nope' does not exist\n")
  })

  it('does not retry a 502 (POST is not idempotent) and exits 2', async () => {
    const scope = nock(API).post(`${JOBS}/jobs/mybot/restart`).once().reply(502, 'Bad Gateway')
    const {stderr, exitCode} = await run(['jobs', 'restart', 'mybot'])
    expect(exitCode).to.equal(2)
    expect(scope.isDone()).to.equal(true)
    expect(stderr.split('\n')[0]).to.equal('ERROR: The jobs service seems to be down – please retry in a few minutes. (Bad Gateway)')
  })

  it('maps a 409 to exit 1', async () => {
    nock(API).post(`${JOBS}/jobs/mybot/restart`).reply(409, {error: ['Job mybot is being deleted']})
    const {stderr, exitCode} = await run(['jobs', 'restart', 'mybot'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('ERROR: Job mybot is being deleted\n')
  })
})
