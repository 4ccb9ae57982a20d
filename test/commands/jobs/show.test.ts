import {expect} from 'chai'
import nock from 'nock'

import {run} from '../../helpers/run.js'
import {closedPort} from '../../helpers/stubs.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../../helpers/tool-env.js'

const MYJOB = {
  name: 'myjob', cmd: './mycommand.sh --witharguments', imagename: 'python3.11', image: 'python3.11', image_state: 'stable',
  job_type: 'one-off', status_short: 'Completed', filelog: true, filelog_stdout: '/data/project/mytool/myjob.out',
  filelog_stderr: '/data/project/mytool/myjob.err', emails: 'none', mount: 'all', memory: '0.5Gi', cpu: '0.1', retry: 0,
  status_long: "Last run at 2025-10-15T19:45:00Z. Pod in 'Succeeded' phase. State 'terminated'. Reason 'Completed'. Started at '2025-10-15T19:45:01Z'. Finished at '2025-10-15T19:45:03Z'. Exit code '0'.",
  status: {short: 'succeeded', duration: '12s', up_to_date: true, messages: []},
}
const MYCRONJOB = {
  name: 'mycronjob', cmd: './daily.sh', imagename: 'python3.11', image_state: 'stable', job_type: 'scheduled', schedule: '@daily',
  schedule_actual: '17 4 * * *', status_short: 'Last schedule time: 2025-10-15T04:17:00Z', status_long: 'No pods were created for this job.',
  filelog: true, filelog_stdout: '/data/project/mytool/mycronjob.out', filelog_stderr: '/data/project/mytool/mycronjob.err',
  emails: 'onfailure', mount: 'all', memory: '0.5Gi', cpu: '0.1', retry: 2, timeout: 3600,
}
const MYBOT = {
  name: 'mybot', cmd: './bot.py', imagename: 'tool-mytool/tool-mytool:latest', job_type: 'continuous', continuous: true,
  status_short: 'Running', status_long: "Last run at 2025-10-15T19:45:00Z. Pod in 'Running' phase. State 'running'. Started at '2025-10-15T19:45:01Z'.",
  filelog: false, emails: 'none', mount: 'none', memory: '1.0Gi', cpu: '0.5', replicas: 2, port: 8080, port_protocol: 'tcp',
  health_check: {type: 'http', path: '/healthz'},
}

const SHOW_MYJOB = [
  '+---------------+----------------------------------------------------------------------+',
  '| Job name:     | myjob                                                                |',
  '+---------------+----------------------------------------------------------------------+',
  '| Command:      | ./mycommand.sh --witharguments                                       |',
  '+---------------+----------------------------------------------------------------------+',
  '| Job type:     | one-off                                                              |',
  '+---------------+----------------------------------------------------------------------+',
  '| Image:        | python3.11                                                           |',
  '+---------------+----------------------------------------------------------------------+',
  '| Port:         | none                                                                 |',
  '+---------------+----------------------------------------------------------------------+',
  '| File log:     | yes                                                                  |',
  '+---------------+----------------------------------------------------------------------+',
  '| Output log:   | /data/project/mytool/myjob.out                                       |',
  '+---------------+----------------------------------------------------------------------+',
  '| Error log:    | /data/project/mytool/myjob.err                                       |',
  '+---------------+----------------------------------------------------------------------+',
  '| Emails:       | none                                                                 |',
  '+---------------+----------------------------------------------------------------------+',
  '| Resources:    | default                                                              |',
  '+---------------+----------------------------------------------------------------------+',
  '| Replicas:     |                                                                      |',
  '+---------------+----------------------------------------------------------------------+',
  '| Mounts:       | all                                                                  |',
  '+---------------+----------------------------------------------------------------------+',
  '| Retry:        | no                                                                   |',
  '+---------------+----------------------------------------------------------------------+',
  '| Timeout:      | no                                                                   |',
  '+---------------+----------------------------------------------------------------------+',
  '| Health check: | none                                                                 |',
  '+---------------+----------------------------------------------------------------------+',
  '| Status:       | Completed                                                            |',
  '+---------------+----------------------------------------------------------------------+',
  "| Hints:        | Last run at 2025-10-15T19:45:00Z. Pod in 'Succeeded' phase. State    |",
  "|               | 'terminated'. Reason 'Completed'. Started at '2025-10-15T19:45:01Z'. |",
  "|               | Finished at '2025-10-15T19:45:03Z'. Exit code '0'.                   |",
  '+---------------+----------------------------------------------------------------------+',
]

const SHOW_MYCRONJOB = [
  '+---------------+------------------------------------------+',
  '| Job name:     | mycronjob                                |',
  '+---------------+------------------------------------------+',
  '| Command:      | ./daily.sh                               |',
  '+---------------+------------------------------------------+',
  '| Job type:     | schedule: @daily                         |',
  '+---------------+------------------------------------------+',
  '| Image:        | python3.11                               |',
  '+---------------+------------------------------------------+',
  '| Port:         | none                                     |',
  '+---------------+------------------------------------------+',
  '| File log:     | yes                                      |',
  '+---------------+------------------------------------------+',
  '| Output log:   | /data/project/mytool/mycronjob.out       |',
  '+---------------+------------------------------------------+',
  '| Error log:    | /data/project/mytool/mycronjob.err       |',
  '+---------------+------------------------------------------+',
  '| Emails:       | onfailure                                |',
  '+---------------+------------------------------------------+',
  '| Resources:    | default                                  |',
  '+---------------+------------------------------------------+',
  '| Replicas:     |                                          |',
  '+---------------+------------------------------------------+',
  '| Mounts:       | all                                      |',
  '+---------------+------------------------------------------+',
  '| Retry:        | yes: 2 time(s)                           |',
  '+---------------+------------------------------------------+',
  '| Timeout:      | yes: 3600s                               |',
  '+---------------+------------------------------------------+',
  '| Health check: | none                                     |',
  '+---------------+------------------------------------------+',
  '| Status:       | Last schedule time: 2025-10-15T04:17:00Z |',
  '+---------------+------------------------------------------+',
  '| Hints:        | No pods were created for this job.       |',
  '+---------------+------------------------------------------+',
]

const SHOW_MYBOT = [
  '+---------------+-----------------------------------------------------------------+',
  '| Job name:     | mybot                                                           |',
  '+---------------+-----------------------------------------------------------------+',
  '| Command:      | ./bot.py                                                        |',
  '+---------------+-----------------------------------------------------------------+',
  '| Job type:     | continuous                                                      |',
  '+---------------+-----------------------------------------------------------------+',
  '| Image:        | tool-mytool/tool-mytool:latest                                  |',
  '+---------------+-----------------------------------------------------------------+',
  '| Port:         | 8080/tcp                                                        |',
  '+---------------+-----------------------------------------------------------------+',
  '| File log:     | no                                                              |',
  '+---------------+-----------------------------------------------------------------+',
  '| Output log:   |                                                                 |',
  '+---------------+-----------------------------------------------------------------+',
  '| Error log:    |                                                                 |',
  '+---------------+-----------------------------------------------------------------+',
  '| Emails:       | none                                                            |',
  '+---------------+-----------------------------------------------------------------+',
  '| Resources:    | mem: 1.0Gi, cpu: 0.5                                            |',
  '+---------------+-----------------------------------------------------------------+',
  '| Replicas:     | 2                                                               |',
  '+---------------+-----------------------------------------------------------------+',
  '| Mounts:       | none                                                            |',
  '+---------------+-----------------------------------------------------------------+',
  '| Retry:        | no                                                              |',
  '+---------------+-----------------------------------------------------------------+',
  '| Timeout:      | no                                                              |',
  '+---------------+-----------------------------------------------------------------+',
  '| Health check: | http: /healthz                                                  |',
  '+---------------+-----------------------------------------------------------------+',
  '| Status:       | Running                                                         |',
  '+---------------+-----------------------------------------------------------------+',
  "| Hints:        | Last run at 2025-10-15T19:45:00Z. Pod in 'Running' phase. State |",
  "|               | 'running'. Started at '2025-10-15T19:45:01Z'.                   |",
  '+---------------+-----------------------------------------------------------------+',
]

const lines = (text: string) => text.split('\n')

describe('jobs show', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv()
  })
  afterEach(() => tool.restore())

  for (const [job, expected] of [[MYJOB, SHOW_MYJOB], [MYCRONJOB, SHOW_MYCRONJOB], [MYBOT, SHOW_MYBOT]] as const) {
    it(`prints the upstream grid table for ${job.name}`, async () => {
      const scope = nock(API).get(`${JOBS}/jobs/${job.name}`).query({include_unset: 'true'}).reply(200, {job, messages: {}})
      const {stdout, stderr, exitCode} = await run(['jobs', 'show', job.name])
      expect(exitCode).to.equal(0)
      expect(stderr).to.equal('')
      expect(stdout).to.equal([...expected, ''].join('\n'))
      expect(scope.isDone()).to.equal(true)
    })
  }

  it('adds a Public: row for a published job, between Status: and Hints:', async () => {
    const job = {...MYBOT, publish: '/', status_long: 'No pods were created for this job.'}
    nock(API).get(`${JOBS}/jobs/mybot`).query(true).reply(200, {job, messages: {}})
    const {stdout} = await run(['jobs', 'show', 'mybot'])
    const rule = '+---------------+------------------------------------+'
    expect(lines(stdout).slice(-8)).to.deep.equal([
      rule,
      '| Status:       | Running                            |',
      rule,
      '| Public:       | https://mytool.toolforge.org       |',
      rule,
      '| Hints:        | No pods were created for this job. |',
      rule,
      '',
    ])
  })

  it('shows a webservice job with Port: N/A', async () => {
    const job = {...MYBOT, job_type: 'webservice', port: null, continuous: undefined, status_long: ''}
    nock(API).get(`${JOBS}/jobs/mybot`).query(true).reply(200, {job, messages: {}})
    const {stdout} = await run(['jobs', 'show', 'mybot'])
    expect(stdout).to.match(/\| Port: +\| N\/A +\|/).and.match(/\| Job type: +\| webservice +\|/)
    expect(stdout).to.match(/\| Public: +\| https:\/\/mytool\.toolforge\.org +\|/)
  })

  it('prints API drift warnings on stderr and keeps stdout the table', async () => {
    const warning = "The running version of job 'myjob' is different from what was configured, please recreate or redeploy."
    nock(API).get(`${JOBS}/jobs/myjob`).query(true).reply(200, {job: MYJOB, messages: {info: [], warning: [warning], error: []}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'show', 'myjob'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal(`WARNING: ${warning}\n`)
    expect(stdout).to.equal([...SHOW_MYJOB, ''].join('\n'))
  })

  it('with --json prints the job object exactly as the API returned it', async () => {
    nock(API).get(`${JOBS}/jobs/myjob`).query(true).reply(200, {job: MYJOB, messages: {}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'show', 'myjob', '--json'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(JSON.parse(stdout)).to.deep.equal(MYJOB)
  })

  it('reports a missing job like upstream (exit 1)', async () => {
    nock(API).get(`${JOBS}/jobs/nope`).query(true).reply(404, {error: ["Job 'nope' does not exist"]})
    const {stdout, stderr, exitCode} = await run(['jobs', 'show', 'nope'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal("ERROR: Job 'nope' does not exist\n")
  })

  it('reports a missing job as one JSON line on stderr under --json', async () => {
    nock(API).get(`${JOBS}/jobs/nope`).query(true).reply(404, {error: ["Job 'nope' does not exist"]})
    const {stdout, stderr, exitCode} = await run(['jobs', 'show', 'nope', '--json'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(JSON.parse(stderr)).to.deep.equal({error: {message: "Job 'nope' does not exist", exit_code: 1, status: 404}})
  })

  it('retries a 502 and then reports the service as down (exit 2)', async () => {
    const scope = nock(API).get(`${JOBS}/jobs/myjob`).query(true).times(4).reply(502, 'Bad Gateway')
    const {stderr, exitCode} = await run(['jobs', 'show', 'myjob'])
    expect(exitCode).to.equal(2)
    expect(scope.isDone()).to.equal(true)
    expect(stderr).to.equal(
      'ERROR: The jobs service seems to be down – please retry in a few minutes. (Bad Gateway)\n' +
        'ERROR: Please report this issue to the Toolforge admins if it persists: https://w.wiki/6Zuu\n',
    )
  })

  it('maps a 500 to exit 2 with the API message', async () => {
    nock(API).get(`${JOBS}/jobs/myjob`).query(true).reply(500, {error: ['Unknown error (boom)']})
    const {stderr, exitCode} = await run(['jobs', 'show', 'myjob'])
    expect(exitCode).to.equal(2)
    expect(stderr.split('\n')[0]).to.equal('ERROR: Unknown error (boom)')
  })

  it('rejects a response without a job object (exit 2)', async () => {
    nock(API).get(`${JOBS}/jobs/myjob`).query(true).reply(200, {messages: {}})
    const {stderr, exitCode} = await run(['jobs', 'show', 'myjob'])
    expect(exitCode).to.equal(2)
    expect(stderr.split('\n')[0]).to.equal("ERROR: Invalid response from the jobs API: missing or wrong 'job'")
  })

  it('gives up after the configured timeout (exit 2)', async () => {
    tool.restore()
    tool = makeToolEnv({config: 'jobs:\n  timeout: 0.2\n'})
    nock(API).get(`${JOBS}/jobs/myjob`).query(true).delay(2000).reply(200, {job: MYJOB})
    const {stderr, exitCode} = await run(['jobs', 'show', 'myjob'])
    expect(exitCode).to.equal(2)
    expect(stderr.split('\n')[0]).to.equal(`ERROR: Request to ${API}${JOBS}/jobs/myjob timed out after 0.2 s`)
  })

  it('explains a refused connection (exit 2)', async () => {
    nock.enableNetConnect('127.0.0.1')
    const port = await closedPort()
    tool.restore()
    tool = makeToolEnv({apiUrl: `http://127.0.0.1:${port}`})
    const {stdout, stderr, exitCode} = await run(['jobs', 'show', 'myjob'])
    nock.disableNetConnect()
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr.split('\n')[0]).to.match(new RegExp(`^ERROR: Unable to reach the jobs service at http://127\\.0\\.0\\.1:${port}${JOBS}/jobs/myjob \\(ECONNREFUSED`))
  })

  it('requires a job name (usage error, exit 2)', async () => {
    const {stderr, exitCode} = await run(['jobs', 'show'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include('Missing 1 required arg').and.include("See 'toolforge jobs show --help'.")
  })
})
