import {expect} from 'chai'
import nock from 'nock'

import {run} from '../../helpers/run.js'
import {closedPort} from '../../helpers/stubs.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../../helpers/tool-env.js'

// The collection path with or without the trailing slash upstream used (jobs.md §2.3).
const COLLECTION = new RegExp(`^${JOBS}/jobs/?$`)
const SHOW = `${JOBS}/jobs/myjob`
const MESSAGES = {info: [], warning: [], error: []}

const CREATED = {
  name: 'myjob', cmd: './mycommand.sh', imagename: 'python3.11', image: 'python3.11', image_state: 'stable', job_type: 'one-off',
  filelog: true, filelog_stdout: '/data/project/mytool/myjob.out', filelog_stderr: '/data/project/mytool/myjob.err',
  emails: 'none', mount: 'all', memory: '0.5Gi', cpu: '0.1', retry: 0, status_short: 'Not running', status_long: 'Run not attempted yet.',
}


/** Expects one POST and returns the body it carried. */
function expectCreate(reply: [number, nock.Body] = [201, {job: CREATED, messages: MESSAGES}]): {body?: unknown; scope: nock.Scope} {
  const seen: {body?: unknown; scope: nock.Scope} = {scope: nock(API)}
  seen.scope = nock(API)
    .post(COLLECTION, (body) => {
      seen.body = body
      return true
    })
    .reply(...reply)
  return seen
}

describe('jobs run', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv()
    process.env.TOOLFORGE_WAIT_INTERVAL_MS = '1'
  })
  afterEach(() => {
    tool.restore()
    delete process.env.TOOLFORGE_WAIT_INTERVAL_MS
  })

  describe('request bodies', () => {
    it('one-off job: the upstream payload plus job_type, unset keys dropped', async () => {
      const seen = expectCreate()
      const {stdout, stderr, exitCode} = await run(['jobs', 'run', 'myjob', '--command', './mycommand.sh', '--image', 'python3.11'])
      expect([exitCode, stdout, stderr]).to.deep.equal([0, '', ''])
      expect(seen.body).to.deep.equal({name: 'myjob', cmd: './mycommand.sh', imagename: 'python3.11', job_type: 'one-off', filelog: true})
    })

    it('scheduled job with a macro, timeout, retry, emails and resources', async () => {
      const seen = expectCreate()
      await run([
        'jobs', 'run', 'mycronjob', '--command', './daily.sh', '--image', 'python3.11', '--schedule', '@daily', '--timeout', '3600',
        '--retry', '2', '--emails', 'onfailure', '--mem', '2Gi', '--cpu', '500m', '-o', 'logs/daily.out', '-e', 'logs/daily.err',
      ])
      expect(seen.body).to.deep.equal({
        name: 'mycronjob', cmd: './daily.sh', imagename: 'python3.11', job_type: 'scheduled', schedule: '@daily', timeout: 3600,
        retry: 2, emails: 'onfailure', memory: '2Gi', cpu: '500m', filelog: true, filelog_stdout: 'logs/daily.out', filelog_stderr: 'logs/daily.err',
      })
    })

    it('a command with arguments and a 5-field schedule are sent as single strings', async () => {
      const seen = expectCreate()
      await run(['jobs', 'run', 'often', '--command', './mycommand.sh --witharguments', '--image', 'python3.11', '--schedule', '*/5 * * * *'])
      expect(seen.body).to.deep.include({cmd: './mycommand.sh --witharguments', schedule: '*/5 * * * *', job_type: 'scheduled'})
    })

    it('continuous job with port, http health check, replicas and publish (port as an integer, Q-JOBS-12 fixed)', async () => {
      const seen = expectCreate()
      const {exitCode} = await run([
        'jobs', 'run', 'mybot', '--command', './bot.py', '--image', 'python3.11', '--continuous', '--port', '8080',
        '--health-check-http', '/healthz', '--replicas', '2', '--mem', '1Gi', '--publish',
      ])
      expect(exitCode).to.equal(0)
      expect(seen.body).to.deep.equal({
        name: 'mybot', cmd: './bot.py', imagename: 'python3.11', job_type: 'continuous', continuous: true,
        health_check: {type: 'http', path: '/healthz'}, filelog: true, memory: '1Gi', replicas: 2, port: 8080, publish: '/',
      })
    })

    it('continuous job with an explicit udp port and a script health check', async () => {
      const seen = expectCreate()
      await run(['jobs', 'run', 'dns', '--command', './dns', '--image', 'bookworm', '--continuous', '-p', '53/udp', '--health-check-script', './check.sh'])
      expect(seen.body).to.deep.include({port: 53, port_protocol: 'udp', health_check: {type: 'script', script: './check.sh'}})
    })

    it('build service image: file logs off by default, mount left to the API', async () => {
      const seen = expectCreate()
      await run(['jobs', 'run', 'web', '--command', 'web', '--image', 'tool-mytool/tool-mytool:latest', '--continuous'])
      expect(seen.body).to.deep.equal({name: 'web', cmd: 'web', imagename: 'tool-mytool/tool-mytool:latest', job_type: 'continuous', continuous: true, filelog: false})
    })

    it('build service image with --filelog --mount=all', async () => {
      const seen = expectCreate()
      await run(['jobs', 'run', 'web', '--command', 'web', '--image', 'tool-mytool/tool-mytool:latest', '--filelog', '--mount', 'all'])
      expect(seen.body).to.deep.include({filelog: true, mount: 'all', job_type: 'one-off'})
    })

    it('--json prints the created job', async () => {
      expectCreate()
      const {stdout, exitCode} = await run(['jobs', 'run', 'myjob', '--command', './mycommand.sh', '--image', 'python3.11', '--json'])
      expect(exitCode).to.equal(0)
      expect(JSON.parse(stdout)).to.deep.equal({job: CREATED})
    })

    it('prints the API messages (info on stdout, warnings on stderr)', async () => {
      expectCreate([201, {job: CREATED, messages: {info: ['hello'], warning: ['image is deprecated']}}])
      const {stdout, stderr} = await run(['jobs', 'run', 'myjob', '--command', './mycommand.sh', '--image', 'python3.9'])
      expect(stdout).to.equal('hello\n')
      expect(stderr).to.equal('WARNING: image is deprecated\n')
    })
  })

  describe('usage errors (exit 2, upstream wording, nothing sent)', () => {
    const cases: [string[], string][] = [
      [['--schedule', '@daily', '--continuous'], 'argument --continuous: not allowed with argument --schedule'],
      [['--continuous', '--schedule', '@daily'], 'argument --schedule: not allowed with argument --continuous'],
      [['--schedule', '@daily', '--wait'], 'argument --wait: not allowed with argument --schedule'],
      [['--continuous', '--wait', '60'], 'argument --wait: not allowed with argument --continuous'],
      [['--filelog', '--no-filelog'], 'argument --no-filelog: not allowed with argument --filelog'],
      [['--continuous', '-p', '80', '--health-check-script', 'x', '--health-check-http', '/h'], 'argument --health-check-http: not allowed with argument --health-check-script'],
      [['--retry', '6'], 'Expected --retry=6 to be one of: 0, 1, 2, 3, 4, 5'],
      [['--mount', 'foo'], 'Expected --mount=foo to be one of: all, none'],
      [['--emails', 'never'], 'Expected --emails=never to be one of: none, all, onfinish, onfailure'],
      [['--replicas', 'two'], 'Expected an integer but received: two'],
      [['--wait', '10m'], "argument --wait: invalid value: '10m' (a whole number of seconds; write the job name before --wait, or --wait=SECONDS)"],
    ]
    for (const [flags, message] of cases) {
      it(`${flags.join(' ')} → ${message}`, async () => {
        const {stderr, exitCode} = await run(['jobs', 'run', 'myjob', '--command', 'x', '--image', 'bookworm', ...flags])
        expect(exitCode).to.equal(2)
        expect(stderr).to.match(/^ERROR: /)
        expect(stderr).to.include(message)
        expect(stderr).to.include("See 'toolforge jobs run --help'.")
      })
    }

    it('missing --command and --image', async () => {
      const {stderr, exitCode} = await run(['jobs', 'run', 'myjob'])
      expect(exitCode).to.equal(2)
      expect(stderr.split('\n')[0]).to.equal('ERROR: the following arguments are required: --command, --image')
    })

    it('missing name', async () => {
      const {stderr, exitCode} = await run(['jobs', 'run', '--command', 'x', '--image', 'y'])
      expect(exitCode).to.equal(2)
      expect(stderr).to.include('Missing 1 required arg')
    })
  })

  describe('client-side validation (exit 1, nothing sent)', () => {
    const cases: [string[], string][] = [
      [['--health-check-script', './c'], 'Health checks are only supported for continuous jobs.'],
      [['--continuous', '--health-check-http', '/h'], '--health-check-http requires --port to be set as well'],
      [['--port', '8080'], '--port is only valid for continuous jobs'],
      [['--schedule', '@daily', '--replicas', '2'], '--replicas is only valid for continuous jobs'],
      [['--image', 'tool-mytool/x:latest', '--filelog', '--mount', 'none'], 'Specifying --filelog requires --mount=all'],
      [['--no-filelog', '-o', 'x.out'], 'Specifying --filelog-stdout or --filelog-stderr requires --filelog'],
      [['--timeout', '30'], '--timeout is only valid for scheduled jobs'],
      [['--publish'], '--publish is only valid for continuous jobs'],
      [['--continuous', '--publish'], 'publish requires port to be set'],
      [['--continuous', '--publish', '--port', '53/udp'], 'publish requires port_protocol set to tcp'],
      [['--continuous', '--port', '70000'], "Invalid --port value '70000': expected a port number from 1 to 65535, optionally followed by /tcp or /udp (e.g. 8080, 8080/tcp, 8080/udp)"],
      [['--continuous', '--replicas', '0'], "Invalid --replicas value '0': expected an integer ≥ 1"],
      [['--schedule', '61 * * * *'], `Unable to parse cron expression "61 * * * *" (Unable to parse cron expression "61": Invalid value '61', expected 0-59)`],
      [['--mem', 'lots'], "Invalid --mem value 'lots': expected a positive Kubernetes quantity such as 512Mi, 1G, 2Gi or 0.5Gi"],
      [['--wait', '0'], "Invalid --wait value '0': expected an integer ≥ 1"],
    ]
    for (const [flags, message] of cases) {
      it(message, async () => {
        const image = flags.includes('--image') ? [] : ['--image', 'bookworm']
        const {stdout, stderr, exitCode} = await run(['jobs', 'run', 'myjob', '--command', 'x', ...image, ...flags])
        expect(exitCode).to.equal(1)
        expect(stdout).to.equal('')
        expect(stderr).to.equal(`ERROR: ${message}\n`)
      })
    }

    it('an invalid name', async () => {
      const {stderr, exitCode} = await run(['jobs', 'run', 'My_Job', '--command', 'x', '--image', 'bookworm'])
      expect(exitCode).to.equal(1)
      expect(stderr).to.match(/^ERROR: Invalid job name 'My_Job'/)
    })
  })

  describe('API errors', () => {
    const cases: [number, nock.Body, number, string][] = [
      [409, {error: ['A job with the name myjob already exists']}, 1, 'A job with the name myjob already exists'],
      [400, {error: ["No such image 'python9'"]}, 1, "No such image 'python9'"],
      [422, {detail: [{loc: ['body', 'cmd'], msg: 'Field required', type: 'missing'}]}, 1, 'body.cmd: Field required'],
      [500, {error: ['Unknown error (boom)']}, 2, 'Unknown error (boom)'],
      [502, '<html>Bad Gateway</html>', 2, 'The jobs service seems to be down – please retry in a few minutes.'],
    ]
    for (const [status, body, exit, message] of cases) {
      it(`HTTP ${status} → exit ${exit}`, async () => {
        const seen = expectCreate([status, body])
        const {stdout, stderr, exitCode} = await run(['jobs', 'run', 'myjob', '--command', 'x', '--image', 'python9'])
        expect(seen.scope.isDone()).to.equal(true)
        expect(exitCode).to.equal(exit)
        expect(stdout).to.equal('')
        expect(stderr.split('\n')[0]).to.include(`ERROR: ${message}`)
      })
    }

    it('POST is never retried', async () => {
      nock(API).post(COLLECTION).reply(503, {error: ['busy']})
      const later = nock(API).post(COLLECTION).reply(201, {job: CREATED})
      const {exitCode} = await run(['jobs', 'run', 'myjob', '--command', 'x', '--image', 'bookworm'])
      expect(exitCode).to.equal(2)
      expect(later.isDone()).to.equal(false)
    })

    it('connection refused → exit 2', async () => {
      nock.enableNetConnect('127.0.0.1')
      const port = await closedPort()
      tool.restore()
      tool = makeToolEnv({apiUrl: `http://127.0.0.1:${port}`})
      try {
        const {stderr, exitCode} = await run(['jobs', 'run', 'myjob', '--command', 'x', '--image', 'bookworm'])
        expect(exitCode).to.equal(2)
        expect(stderr.split('\n')[0]).to.match(/^ERROR: Unable to reach the jobs service at http:\/\/127\.0\.0\.1:\d+\S*\/jobs\/? \(ECONNREFUSED/)
      } finally {
        nock.disableNetConnect()
      }
    })

    it('request timeout → exit 2', async () => {
      tool.restore()
      tool = makeToolEnv({config: 'jobs:\n  timeout: 0.2\n'})
      nock(API).post(COLLECTION).delay(2000).reply(201, {job: CREATED})
      const {stderr, exitCode} = await run(['jobs', 'run', 'myjob', '--command', 'x', '--image', 'bookworm'])
      expect(exitCode).to.equal(2)
      expect(stderr.split('\n')[0]).to.match(/^ERROR: Request to \S+\/jobs\/? timed out after 0\.2 s$/)
    })
  })

  describe('--wait', () => {
    const state = (status_short: string, extra: Record<string, unknown> = {}) => ({job: {...CREATED, status_short, ...extra}, messages: MESSAGES})

    it('bare --wait polls until completed (exit 0)', async () => {
      expectCreate()
      const polls = nock(API)
        .get(SHOW).query({include_unset: 'true'}).reply(200, state('Running for 1s'))
        .get(SHOW).query(true).reply(200, state('Completed'))
      const {stdout, stderr, exitCode} = await run(['jobs', 'run', 'myjob', '--command', './mycommand.sh', '--image', 'python3.11', '--wait'])
      expect(polls.isDone()).to.equal(true)
      expect([exitCode, stdout, stderr]).to.deep.equal([0, "job 'myjob' completed\n", ''])
    })

    it('Q-JOBS-10 fixed: --wait before the job name', async () => {
      const seen = expectCreate()
      nock(API).get(SHOW).query(true).reply(200, state('Completed'))
      const {exitCode} = await run(['jobs', 'run', '--wait', 'myjob', '--command', './mycommand.sh', '--image', 'python3.11'])
      expect(exitCode).to.equal(0)
      expect(seen.body).to.deep.include({name: 'myjob'}).and.not.have.property('wait')
    })

    it('uses the v2 status when present', async () => {
      expectCreate()
      nock(API).get(SHOW).query(true).reply(200, state('Running', {status: {short: 'succeeded', duration: '3s'}}))
      const {exitCode} = await run(['jobs', 'run', 'myjob', '--command', 'x', '--image', 'python3.11', '--wait', '30'])
      expect(exitCode).to.equal(0)
    })

    it('a failed job: the show table, exit 1', async () => {
      expectCreate()
      nock(API).get(SHOW).query(true).reply(200, state('Failed', {status_long: "Pod in 'Failed' phase. Exit code '1'."}))
      const {stdout, stderr, exitCode} = await run(['jobs', 'run', 'myjob', '--command', 'x', '--image', 'python3.11', '--wait'])
      expect(exitCode).to.equal(1)
      expect(stdout).to.equal('')
      const lines = stderr.split('\n')
      expect(lines[0]).to.equal("ERROR: job 'myjob' failed:")
      expect(lines[1]).to.match(/^\+-+\+-+\+$/)
      expect(stderr).to.include('| Job name:     | myjob').and.include('| Status:       | Failed').and.include("Exit code '1'.")
      expect(stderr).not.to.include('Please report this issue')
    })

    it('Q-JOBS-01 fixed: a job that vanished is not a success (exit 1)', async () => {
      expectCreate()
      nock(API)
        .get(SHOW).query(true).reply(200, state('Running for 2s'))
        .get(SHOW).query(true).reply(404, {error: ["Job 'myjob' does not exist"]})
      const {stdout, stderr, exitCode} = await run(['jobs', 'run', 'myjob', '--command', 'x', '--image', 'python3.11', '--wait'])
      expect(exitCode).to.equal(1)
      expect(stdout).to.equal('')
      expect(stderr.split('\n')[0]).to.equal("ERROR: job 'myjob' no longer exists; its final state is unknown")
    })

    it('timeout: the show table, exit 2, no "report this issue"', async () => {
      expectCreate()
      nock(API).get(SHOW).query(true).times(100_000).reply(200, state('Running for 1s'))
      const {stderr, exitCode} = await run(['jobs', 'run', 'myjob', '--command', 'x', '--image', 'python3.11', '--wait', '1'])
      nock.cleanAll()
      expect(exitCode).to.equal(2)
      expect(stderr.split('\n')[0]).to.equal("ERROR: timed out 1 seconds waiting for job 'myjob' to complete:")
      expect(stderr).to.include('| Status:       | Running for 1s')
      expect(stderr).not.to.include('Please report this issue')
    })

    it('--json --wait: the outcome is data on stdout even when the job failed', async () => {
      expectCreate()
      nock(API).get(SHOW).query(true).reply(200, state('Failed'))
      const {stdout, stderr, exitCode} = await run(['jobs', 'run', 'myjob', '--command', 'x', '--image', 'python3.11', '--wait', '--json'])
      expect(exitCode).to.equal(1)
      const output = JSON.parse(stdout)
      expect(output.job).to.deep.equal(CREATED)
      expect(output.wait).to.deep.include({outcome: 'failed'})
      expect(output.wait.job.status_short).to.equal('Failed')
      expect(JSON.parse(stderr.trim().split('\n').at(-1)!)).to.deep.include({error: {message: "job 'myjob' failed", exit_code: 1}})
    })
  })
})
