import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Readable} from 'node:stream'
import nock from 'nock'

import {run} from '../../helpers/run.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../../helpers/tool-env.js'

const COLLECTION = new RegExp(`^${JOBS}/jobs/?$`)

const JOBS_YAML = `---
# a cronjob
- name: everyminute
  command: ./myothercommand.py -v
  image: bookworm
  no-filelog: true
  schedule: "* * * * *"
  retry: 5
  emails: onfailure
# a continuous job
- name: mybot
  command: ./bot.py
  image: tool-mytool/tool-mytool:latest
  continuous: true
  replicas: 2
  port: 8080/tcp
  health-check-http: /healthz
  mount: all
  mem: 1Gi
  cpu: 500m
- name: nightly
  command: ./nightly.sh
  image: python3.11
  schedule: "@daily"
  timeout: 3600
`

const EXPECTED_BODIES = [
  {name: 'everyminute', cmd: './myothercommand.py -v', imagename: 'bookworm', job_type: 'scheduled', schedule: '* * * * *', filelog: false, retry: 5, emails: 'onfailure'},
  {
    name: 'mybot', cmd: './bot.py', imagename: 'tool-mytool/tool-mytool:latest', job_type: 'continuous', continuous: true, filelog: false,
    mount: 'all', memory: '1Gi', cpu: '500m', replicas: 2, port: 8080, port_protocol: 'tcp', health_check: {type: 'http', path: '/healthz'},
  },
  {name: 'nightly', cmd: './nightly.sh', imagename: 'python3.11', job_type: 'scheduled', schedule: '@daily', filelog: true, timeout: 3600},
]

type Reply = [number, nock.Body]
const created = (name: string): Reply => [200, {messages: {info: [`Job ${name} created in storage and runtime`]}, job_changed: true}]

/** PATCH interceptors answering in order; returns the bodies received. */
function expectPatches(replies: Reply[]): {bodies: unknown[]; scope: nock.Scope} {
  const bodies: unknown[] = []
  let scope = nock(API)
  for (const reply of replies) {
    scope = scope
      .patch(COLLECTION, (body) => {
        bodies.push(body)
        return true
      })
      .reply(...reply)
  }

  return {bodies, scope}
}

describe('jobs load', () => {
  let tool: ToolEnv
  let file: string
  const write = (text: string) => writeFileSync(file, text)
  beforeEach(() => {
    tool = makeToolEnv()
    file = join(tool.home, 'jobs.yaml')
    process.env.TOOLFORGE_WAIT_INTERVAL_MS = '1'
  })
  afterEach(() => {
    tool.restore()
    delete process.env.TOOLFORGE_WAIT_INTERVAL_MS
  })

  it('PATCHes every job in file order with the run payloads and prints the API messages', async () => {
    write(JOBS_YAML)
    const {bodies, scope} = expectPatches([created('everyminute'), [200, {messages: {info: ['Job mybot is already up to date']}, job_changed: false}], created('nightly')])
    const {stdout, stderr, exitCode} = await run(['jobs', 'load', file])
    expect(scope.isDone()).to.equal(true)
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(bodies).to.deep.equal(EXPECTED_BODIES)
    expect(stdout).to.equal(
      [
        "loading job 'everyminute'...",
        'Job everyminute created in storage and runtime',
        "loading job 'mybot'...",
        'Job mybot is already up to date',
        "loading job 'nightly'...",
        'Job nightly created in storage and runtime',
        '3 job(s) loaded successfully',
        '',
      ].join('\n'),
    )
  })

  it('refuses the whole file when one entry is invalid, sending nothing', async () => {
    write(JOBS_YAML + '- name: broken\n  command: x\n  image: bookworm\n  port: 80\n- name: nightly\n  command: y\n  image: bookworm\n  colour: blue\n')
    const {scope} = expectPatches([created('everyminute')])
    const {stdout, stderr, exitCode} = await run(['jobs', 'load', file])
    expect(scope.isDone()).to.equal(false)
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal(
      [
        `ERROR: '${file}' has 2 invalid job definitions; nothing was loaded:`,
        "  job #4 ('broken'), key 'port': --port is only valid for continuous jobs",
        "  job #5 ('nightly'), key 'colour': unknown key",
        '',
      ].join('\n'),
    )
  })

  it('under --json the error line carries the invalid entries as details', async () => {
    write(JOBS_YAML + '- name: broken\n  command: x\n  image: bookworm\n  port: 80\n')
    const {stdout, stderr, exitCode} = await run(['jobs', 'load', file, '--json'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(JSON.parse(stderr)).to.deep.equal({
      error: {
        message: `'${file}' has 1 invalid job definition; nothing was loaded:`,
        exit_code: 1,
        details: "  job #4 ('broken'), key 'port': --port is only valid for continuous jobs",
      },
    })
  })

  it('reports duplicate names and mutually exclusive keys', async () => {
    write('- {name: a, command: x, image: bookworm, schedule: "@daily", continuous: true}\n- {name: a, command: x, image: bookworm, wait: true, schedule: "@hourly"}\n')
    const {stderr, exitCode} = await run(['jobs', 'load', file])
    expect(exitCode).to.equal(1)
    expect(stderr).to.include("job #1 ('a'), key 'continuous': Only one of 'continuous' and 'schedule' can be set at the same time")
    expect(stderr).to.include("job #2 ('a'), key 'wait': --wait cannot be used together with --schedule")
  })

  it('--job loads one job only', async () => {
    write(JOBS_YAML)
    const {bodies, scope} = expectPatches([created('mybot')])
    const {stdout, exitCode} = await run(['jobs', 'load', file, '--job', 'mybot'])
    expect(scope.isDone()).to.equal(true)
    expect(exitCode).to.equal(0)
    expect(bodies).to.deep.equal([EXPECTED_BODIES[1]])
    expect(stdout).to.equal("loading job 'mybot'...\nJob mybot created in storage and runtime\n1 job(s) loaded successfully\n")
  })

  it('--job with a name not in the file', async () => {
    write(JOBS_YAML)
    const {stderr, exitCode} = await run(['jobs', 'load', file, '--job', 'nope'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal(`ERROR: job 'nope' is not defined in '${file}'\n`)
  })

  it('reads standard input for -', async () => {
    const saved = Object.getOwnPropertyDescriptor(process, 'stdin')!
    Object.defineProperty(process, 'stdin', {value: Readable.from([Buffer.from(JOBS_YAML)]), configurable: true})
    try {
      const {bodies} = expectPatches([created('everyminute'), created('mybot'), created('nightly')])
      const {exitCode} = await run(['jobs', 'load', '-'])
      expect(exitCode).to.equal(0)
      expect(bodies).to.deep.equal(EXPECTED_BODIES)
    } finally {
      Object.defineProperty(process, 'stdin', saved)
    }
  })

  it('goes on after a refused job, then says what was applied and what failed (exit 1)', async () => {
    write(JOBS_YAML)
    const {scope} = expectPatches([created('everyminute'), [400, {error: ["No such image 'tool-mytool/tool-mytool:latest'"]}], created('nightly')])
    const {stdout, stderr, exitCode} = await run(['jobs', 'load', file])
    expect(scope.isDone()).to.equal(true)
    expect(exitCode).to.equal(1)
    expect(stdout).to.include('2 job(s) loaded successfully: everyminute, nightly\n')
    expect(stderr).to.equal(
      [
        "ERROR: failed to load job 'mybot': No such image 'tool-mytool/tool-mytool:latest'",
        'ERROR: 1 job(s) failed to load: mybot',
        '',
      ].join('\n'),
    )
  })

  it('exits 2 when the first failure was server trouble', async () => {
    write('- {name: a, command: x, image: bookworm, schedule: "@daily"}\n')
    nock(API).patch(COLLECTION).times(4).reply(500, {error: ['Unknown error (boom)']})
    const {stderr, exitCode} = await run(['jobs', 'load', file])
    expect(exitCode).to.equal(2)
    expect(stderr).to.include("ERROR: failed to load job 'a': Unknown error (boom)").and.include('ERROR: 1 job(s) failed to load: a')
  })

  it('Q-JOBS-04: warns that one-off jobs were not started by the current API', async () => {
    write('- {name: once, command: ./once.sh, image: bookworm, wait: true}\n')
    expectPatches([[200, {messages: {info: ["OneOffJobs can't be updated, delete and recreate it instead"]}, job_changed: false}]])
    const {stdout, stderr, exitCode} = await run(['jobs', 'load', file])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal("loading job 'once'...\nOneOffJobs can't be updated, delete and recreate it instead\n0 job(s) loaded successfully\n")
    expect(stderr).to.equal(
      "WARNING: job 'once' was not started: the jobs API no longer runs one-off jobs from 'load'; use 'toolforge jobs run once …' instead\n" +
        'WARNING: 1 one-off job(s) not started: once\n',
    )
  })

  it('waits for an entry with wait before loading the next one', async () => {
    write('- {name: first, command: ./a.sh, image: bookworm, wait: 60}\n- {name: second, command: ./b.sh, image: bookworm, schedule: "@daily"}\n')
    const order: string[] = []
    nock(API)
      .patch(COLLECTION).reply(200, () => {
        order.push('patch first')
        return {messages: {info: ['Job first created in storage and runtime']}, job_changed: true}
      })
      .get(`${JOBS}/jobs/first`).query(true).reply(200, () => {
        order.push('poll')
        return {job: {name: 'first', cmd: './a.sh', imagename: 'bookworm', job_type: 'one-off', status_short: 'Running for 1s'}}
      })
      .get(`${JOBS}/jobs/first`).query(true).reply(200, () => {
        order.push('poll')
        return {job: {name: 'first', cmd: './a.sh', imagename: 'bookworm', job_type: 'one-off', status_short: 'Completed'}}
      })
      .patch(COLLECTION).reply(200, () => {
        order.push('patch second')
        return {messages: {info: ['Job second created in storage and runtime']}, job_changed: true}
      })
    const {stdout, exitCode} = await run(['jobs', 'load', file])
    expect(exitCode).to.equal(0)
    expect(order).to.deep.equal(['patch first', 'poll', 'poll', 'patch second'])
    expect(stdout).to.include("job 'first' completed\nloading job 'second'...")
  })

  it('stops after a failed wait: the rest is not attempted (exit 1)', async () => {
    write('- {name: first, command: ./a.sh, image: bookworm, wait: true}\n- {name: second, command: ./b.sh, image: bookworm, schedule: "@daily"}\n')
    const second = nock(API).patch(COLLECTION, (body: {name: string}) => body.name === 'second').reply(200, {job_changed: true})
    nock(API)
      .patch(COLLECTION, (body: {name: string}) => body.name === 'first').reply(200, {job_changed: true})
      .get(`${JOBS}/jobs/first`).query(true).reply(200, {job: {name: 'first', cmd: './a.sh', imagename: 'bookworm', job_type: 'one-off', status_short: 'Failed'}})
    const {stderr, exitCode} = await run(['jobs', 'load', file])
    expect(second.isDone()).to.equal(false)
    expect(exitCode).to.equal(1)
    expect(stderr).to.include("ERROR: job 'first' failed:\n+---").and.include('| Status:       | Failed')
    expect(stderr).to.include('ERROR: 1 job(s) failed to load: first; not attempted after the failed wait: second')
  })

  it('--json prints one result per job, also on partial failure', async () => {
    write(JOBS_YAML)
    expectPatches([created('everyminute'), [409, {error: ['conflict']}], [200, {messages: {info: ['Job nightly is already up to date']}, job_changed: false}]])
    const {stdout, exitCode} = await run(['jobs', 'load', file, '--json'])
    expect(exitCode).to.equal(1)
    expect(JSON.parse(stdout)).to.deep.equal([
      {name: 'everyminute', job_type: 'scheduled', status: 'loaded', changed: true, messages: ['Job everyminute created in storage and runtime']},
      {name: 'mybot', job_type: 'continuous', status: 'failed', error: {message: 'conflict', exit_code: 1, status: 409}},
      {name: 'nightly', job_type: 'scheduled', status: 'loaded', changed: false, messages: ['Job nightly is already up to date']},
    ])
  })

  it('prints deprecation warnings for upstream-style values and still loads', async () => {
    write('- {name: a, command: x, image: tool-mytool/a:latest, filelog: "yes", mount: all, continuous: false}\n')
    const {bodies} = expectPatches([created('a')])
    const {stderr, exitCode} = await run(['jobs', 'load', file])
    expect(exitCode).to.equal(0)
    expect(bodies).to.deep.equal([{name: 'a', cmd: 'x', imagename: 'tool-mytool/a:latest', job_type: 'one-off', filelog: true, mount: 'all'}])
    expect(stderr).to.include(`WARNING: ${file}: job #1 ('a'): Assigning "yes" to filelog will be deprecated in future releases. Please use True unquoted instead.`)
    expect(stderr).to.include(`WARNING: ${file}: job #1 ('a'): Invalid key: continuous expects True but got "False". omitting key...`)
  })

  describe('unreadable input (exit 1, nothing sent)', () => {
    it('a YAML syntax error', async () => {
      write('- name: a\n  command: [oops\n')
      const {stderr, exitCode} = await run(['jobs', 'load', file])
      expect(exitCode).to.equal(1)
      expect(stderr.split('\n')[0]).to.equal(`ERROR: Unable to parse yaml file '${file}'`)
    })

    it('not a list', async () => {
      write('name: a\ncommand: x\n')
      const {stderr, exitCode} = await run(['jobs', 'load', file])
      expect(exitCode).to.equal(1)
      expect(stderr).to.equal(`ERROR: Unable to load '${file}': expected a list of job definitions, got a mapping\n`)
    })

    it('a missing file', async () => {
      const {stderr, exitCode} = await run(['jobs', 'load', join(tool.home, 'nope.yaml')])
      expect(exitCode).to.equal(1)
      expect(stderr).to.equal(`ERROR: Unable to read '${join(tool.home, 'nope.yaml')}': no such file\n`)
    })

    it('an empty list is a warning, not an error', async () => {
      write('[]\n')
      const {stderr, exitCode} = await run(['jobs', 'load', file])
      expect(exitCode).to.equal(0)
      expect(stderr).to.equal(`WARNING: no jobs defined in '${file}'\n`)
    })
  })
})
