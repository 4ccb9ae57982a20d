import {expect} from 'chai'
import nock from 'nock'

import {run} from '../../helpers/run.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../../helpers/tool-env.js'

const JOBS_FIXTURE = [
  {name: 'myjob', cmd: './mycommand.sh --witharguments', imagename: 'python3.11', image_state: 'stable', job_type: 'one-off', status_short: 'Completed', filelog: true, filelog_stdout: '/data/project/mytool/myjob.out', filelog_stderr: '/data/project/mytool/myjob.err', emails: 'none', mount: 'all', memory: '0.5Gi', cpu: '0.1', retry: 0},
  {name: 'mycronjob', cmd: './daily.sh', imagename: 'python3.11', job_type: 'scheduled', schedule: '@daily', status_short: 'Last schedule time: 2025-10-15T04:17:00Z', filelog: true, emails: 'onfailure', mount: 'all', memory: '0.5Gi', cpu: '0.1', retry: 2, timeout: 3600},
  {name: 'mybot', cmd: './bot.py', imagename: 'tool-mytool/tool-mytool:latest', job_type: 'continuous', status_short: 'Running', filelog: false, emails: 'none', mount: 'none', memory: '1.0Gi', cpu: '0.5', replicas: 2, port: 8080, port_protocol: 'tcp', health_check: {type: 'http', path: '/healthz'}},
]

describe('jobs list', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv()
  })
  afterEach(() => tool.restore())

  it('prints the upstream "pretty" table', async () => {
    nock(API).get(`${JOBS}/jobs`).query({include_unset: 'true'}).reply(200, {jobs: JOBS_FIXTURE, messages: {}})
    const {stdout, exitCode} = await run(['jobs', 'list'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(
      [
        '+-----------+------------------+------------------------------------------+',
        '| Job name: |    Job type:     |                 Status:                  |',
        '+-----------+------------------+------------------------------------------+',
        '|   myjob   |     one-off      |                Completed                 |',
        '| mycronjob | schedule: @daily | Last schedule time: 2025-10-15T04:17:00Z |',
        '|   mybot   |    continuous    |                 Running                  |',
        '+-----------+------------------+------------------------------------------+',
        '',
      ].join('\n'),
    )
  })

  it('-l still works, with upstream\'s deprecation warning on stderr', async () => {
    nock(API).get(`${JOBS}/jobs`).query(true).reply(200, {jobs: [], messages: {}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'list', '-l'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('WARNING: the `--long` flag is deprecated, use `--output long` instead\n')
  })

  it('renders long rows with upstream value formatting', async () => {
    nock(API).get(`${JOBS}/jobs`).query(true).reply(200, {jobs: JOBS_FIXTURE, messages: {}})
    const {stdout} = await run(['jobs', 'list', '-o', 'long'])
    expect(stdout).to.include('yes: 2 time(s)').and.include('yes: 3600s').and.include('mem: 1.0Gi, cpu: 0.5')
    expect(stdout).to.include('http: /healthz').and.include('8080/tcp').and.include('/data/project/mytool/myjob.out')
  })

  it('prints names only with -o name', async () => {
    nock(API).get(`${JOBS}/jobs`).query(true).reply(200, {jobs: JOBS_FIXTURE, messages: {}})
    const {stdout} = await run(['jobs', 'list', '-o', 'name'])
    expect(stdout).to.equal('myjob\nmycronjob\nmybot\n')
  })

  it('prints nothing for no jobs', async () => {
    nock(API).get(`${JOBS}/jobs`).query(true).reply(200, {jobs: [], messages: {}})
    const {stdout, exitCode} = await run(['jobs', 'list'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
  })

  it('with --json prints only JSON on stdout and API warnings on stderr', async () => {
    nock(API)
      .get(`${JOBS}/jobs`)
      .query(true)
      .reply(200, {jobs: JOBS_FIXTURE, messages: {info: ['hello'], warning: ['careful']}})
    const {stdout, stderr} = await run(['jobs', 'list', '--json'])
    expect(JSON.parse(stdout)).to.deep.equal({jobs: JOBS_FIXTURE})
    expect(stderr).to.include('careful').and.include('hello')
  })

  it('rejects an unknown output mode as a usage error (exit 2)', async () => {
    const {stderr, exitCode} = await run(['jobs', 'list', '-o', 'json'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include('Expected --output=json to be one of: normal, long, name')
  })

  for (const [status, exit] of [[403, 1], [404, 1], [500, 2], [502, 2]] as const) {
    it(`maps HTTP ${status} to exit ${exit} with the API's message`, async () => {
      nock(API).get(`${JOBS}/jobs`).query(true).times(4).reply(status, {error: [`boom ${status}`]})
      const {stderr, exitCode} = await run(['jobs', 'list'])
      expect(exitCode).to.equal(exit)
      expect(stderr).to.include(`ERROR: `).and.include(`boom ${status}`)
      expect(stderr).not.to.match(/\n\s+at /)
    })
  }

  it('sends the client certificate user agent and tool path', async () => {
    const scope = nock(API, {reqheaders: {'user-agent': /^tool-mytool@[^ ]+:jobs-cli toolforge\/\d+\.\d+\.\d+/}})
      .get(`${JOBS}/jobs`)
      .query({include_unset: 'true'})
      .reply(200, {jobs: []})
    await run(['jobs', 'list'])
    expect(scope.isDone()).to.equal(true)
  })
})

describe('configuration errors', () => {
  it('explains a missing kubeconfig in one line, exit 1, no stack trace', async () => {
    const saved = process.env.HOME
    process.env.HOME = '/nonexistent-home'
    try {
      const {stderr, exitCode} = await run(['jobs', 'list'])
      expect(exitCode).to.equal(1)
      expect(stderr.trim()).to.equal("ERROR: Failed to load configuration, did you forget to run 'become <mytool>'?")
    } finally {
      process.env.HOME = saved
    }
  })
})
