import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import nock from 'nock'

import {run} from '../../helpers/run.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../../helpers/tool-env.js'

const COLLECTION = new RegExp(`^${JOBS}/jobs/?$`)

// GET /jobs?include_unset=false: only what was set at creation, plus the fields the API always returns.
const STORED = [
  {name: 'emails-test', cmd: './mycommand.sh --argument1', imagename: 'bullseye', job_type: 'one-off', filelog: true, emails: 'all'},
  {name: 'mycronjob', cmd: './daily.sh', imagename: 'python3.11', job_type: 'scheduled', schedule: '@daily', filelog: true, timeout: 3600, retry: 0},
  {
    name: 'mybot', cmd: './bot.py', imagename: 'tool-mytool/tool-mytool:latest', job_type: 'continuous', continuous: true, filelog: true,
    filelog_stdout: '/data/project/mytool/logs/bot.out', mount: 'all', memory: '1Gi', replicas: 2, port: 8080,
    health_check: {type: 'http', path: '/healthz'}, publish: '/',
  },
]

const EXPECTED_YAML = `- command: ./mycommand.sh --argument1
  emails: all
  image: bullseye
  name: emails-test
- command: ./daily.sh
  image: python3.11
  name: mycronjob
  schedule: '@daily'
  timeout: 3600
- command: ./bot.py
  continuous: true
  filelog: true
  filelog-stdout: logs/bot.out
  health-check-http: /healthz
  image: tool-mytool/tool-mytool:latest
  mem: 1Gi
  mount: all
  name: mybot
  port: 8080
  publish: true
  replicas: 2
`

describe('jobs dump', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv()
  })
  afterEach(() => tool.restore())

  it('asks for include_unset=false and prints sorted YAML', async () => {
    const scope = nock(API).get(COLLECTION).query({include_unset: 'false'}).reply(200, {jobs: STORED, messages: {}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'dump'])
    expect(scope.isDone()).to.equal(true)
    expect([exitCode, stderr]).to.deep.equal([0, ''])
    expect(stdout).to.equal(EXPECTED_YAML)
  })

  it('keeps API messages out of the YAML on stdout (they go to stderr)', async () => {
    nock(API).get(COLLECTION).query(true).reply(200, {jobs: STORED, messages: {info: ['an info line'], warning: ['a warning']}})
    const {stdout, stderr, exitCode} = await run(['jobs', 'dump'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(EXPECTED_YAML)
    expect(stderr).to.include('an info line').and.include('a warning')
  })

  it('--json prints the entries as JSON', async () => {
    nock(API).get(COLLECTION).query(true).reply(200, {jobs: STORED})
    const {stdout, exitCode} = await run(['jobs', 'dump', '--json'])
    expect(exitCode).to.equal(0)
    const entries = JSON.parse(stdout)
    expect(entries).to.have.length(3)
    expect(entries[1]).to.deep.equal({name: 'mycronjob', command: './daily.sh', image: 'python3.11', schedule: '@daily', timeout: 3600})
  })

  it('-f writes the file, replacing an old one', async () => {
    const file = join(tool.home, 'jobs.yaml')
    writeFileSync(file, 'old\n')
    nock(API).get(COLLECTION).query(true).reply(200, {jobs: STORED})
    const {stdout, exitCode} = await run(['jobs', 'dump', '-f', file])
    expect([exitCode, stdout]).to.deep.equal([0, ''])
    expect(readFileSync(file, 'utf8')).to.equal(EXPECTED_YAML)
    expect(readdirSync(tool.home).filter((f) => f.endsWith('.tmp'))).to.deep.equal([])
  })

  it('keeps the old file when the request fails', async () => {
    const file = join(tool.home, 'jobs.yaml')
    writeFileSync(file, 'old\n')
    nock(API).get(COLLECTION).query(true).times(4).reply(503, {error: ['down']})
    const {exitCode} = await run(['jobs', 'dump', '--to-file', file])
    expect(exitCode).to.equal(2)
    expect(readFileSync(file, 'utf8')).to.equal('old\n')
  })

  it('an unwritable destination is a user error and leaves nothing behind', async () => {
    const file = join(tool.home, 'missing-dir', 'jobs.yaml')
    nock(API).get(COLLECTION).query(true).reply(200, {jobs: STORED})
    const {stderr, exitCode} = await run(['jobs', 'dump', '-f', file])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal(`ERROR: Unable to write '${file}': no such directory\n`)
  })

  it('no jobs: a warning, and no file', async () => {
    nock(API).get(COLLECTION).query(true).twice().reply(200, {jobs: [], messages: {}})
    const plain = await run(['jobs', 'dump'])
    expect([plain.exitCode, plain.stdout, plain.stderr]).to.deep.equal([0, '', 'WARNING: no jobs defined\n'])
    const file = join(tool.home, 'jobs.yaml')
    const toFile = await run(['jobs', 'dump', '-f', file])
    expect([toFile.exitCode, toFile.stderr]).to.deep.equal([0, `WARNING: no jobs defined, file ${file} will not be created\n`])
    expect(existsSync(file)).to.equal(false)
  })

  it('round trip: `dump -f` then `load` sends the payloads the jobs were created with', async () => {
    const file = join(tool.home, 'jobs.yaml')
    nock(API).get(COLLECTION).query(true).reply(200, {jobs: STORED})
    await run(['jobs', 'dump', '-f', file])
    const bodies: unknown[] = []
    nock(API)
      .patch(COLLECTION, (body) => {
        bodies.push(body)
        return true
      })
      .times(3)
      .reply(200, {messages: {info: ['ok']}, job_changed: true})
    const {exitCode} = await run(['jobs', 'load', file])
    expect(exitCode).to.equal(0)
    expect(bodies).to.deep.equal([
      {name: 'emails-test', cmd: './mycommand.sh --argument1', imagename: 'bullseye', job_type: 'one-off', filelog: true, emails: 'all'},
      {name: 'mycronjob', cmd: './daily.sh', imagename: 'python3.11', job_type: 'scheduled', schedule: '@daily', filelog: true, timeout: 3600},
      {
        name: 'mybot', cmd: './bot.py', imagename: 'tool-mytool/tool-mytool:latest', job_type: 'continuous', continuous: true, filelog: true,
        filelog_stdout: 'logs/bot.out', mount: 'all', memory: '1Gi', replicas: 2, port: 8080, health_check: {type: 'http', path: '/healthz'},
        publish: '/',
      },
    ])
  })
})
