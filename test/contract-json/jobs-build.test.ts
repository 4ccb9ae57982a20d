import {expect} from 'chai'
import nock from 'nock'

import {build, BUILDS, ID, ID2, REPO} from '../build/fixtures.js'
import {run} from '../helpers/run.js'
import {API, JOBS, makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'
import {expectDocument, expectErrorLine, expectRecords} from './schemas.js'
import {run as runStdin} from './stdin.js'

// Each command run in-process against recorded API answers; its --json output must match the locked
// schema in schemas/*.json. A renamed or removed field fails here before it reaches a bot.

const JOB = {
  name: 'myjob', cmd: './run.sh', imagename: 'python3.11', image: 'python3.11', image_state: 'stable', job_type: 'one-off',
  filelog: true, filelog_stdout: '/data/project/mytool/myjob.out', filelog_stderr: null, emails: 'none', mount: 'all',
  memory: '0.5Gi', cpu: '0.1', retry: 0, status_short: 'Completed', status_long: 'Done.', status: {short: 'succeeded', messages: []},
}
const CRON = {...JOB, name: 'nightly', job_type: 'scheduled', schedule: '@daily', timeout: 3600, status_short: 'Last schedule time: 2026-11-21T00:00:00Z'}

describe('--json contract: jobs and build', () => {
  let tool: ToolEnv
  beforeEach(() => {
    tool = makeToolEnv({extraEnv: {CI: '1', TOOLFORGE_WAIT_INTERVAL_MS: '1'}})
  })
  afterEach(() => tool.restore())

  it('jobs list, show', async () => {
    nock(API).get(`${JOBS}/jobs`).query(true).reply(200, {jobs: [JOB, CRON]})
    expectDocument('jobs list', (await run(['jobs', 'list', '--json'])).stdout)
    nock(API).get(`${JOBS}/jobs/myjob`).query(true).reply(200, {job: JOB})
    expectDocument('jobs show', (await run(['jobs', 'show', 'myjob', '--json'])).stdout)
  })

  it('jobs run (with and without --wait) and wait', async () => {
    nock(API).post(`${JOBS}/jobs`).reply(201, {job: JOB, messages: {info: ['Job myjob created']}})
    expectDocument('jobs run', (await run(['jobs', 'run', 'myjob', '--command', './run.sh', '--image', 'python3.11', '--json'])).stdout)
    nock(API).post(`${JOBS}/jobs`).reply(201, {job: JOB}).get(`${JOBS}/jobs/myjob`).query(true).reply(200, {job: JOB})
    const waited = expectDocument('jobs run', (await run(['jobs', 'run', 'myjob', '--command', './run.sh', '--image', 'python3.11', '--wait', '--json'])).stdout)
    expect(waited.wait.outcome).to.equal('completed')
    nock(API).get(`${JOBS}/jobs/myjob`).query(true).reply(200, {job: JOB})
    expectDocument('jobs wait', (await run(['jobs', 'wait', 'myjob', '--json'])).stdout)
  })

  it('jobs load (from stdin), dump', async () => {
    nock(API).patch(`${JOBS}/jobs`).reply(200, {job_changed: true, messages: {info: ['Job nightly created']}})
    const loaded = await runStdin(['jobs', 'load', '-', '--json'], '- name: nightly\n  command: ./run.sh\n  image: python3.11\n  schedule: "@daily"\n')
    expect(loaded.exitCode, loaded.stderr).to.equal(0)
    expectDocument('jobs load', loaded.stdout)
    nock(API).get(`${JOBS}/jobs`).query(true).reply(200, {jobs: [CRON]})
    expectDocument('jobs dump', (await run(['jobs', 'dump', '--json'])).stdout)
  })

  it('jobs logs (NDJSON)', async () => {
    const records = [{pod: 'myjob-a', container: 'job', datetime: '2026-11-21T00:00:01Z', message: 'hello'}, {pod: 'myjob-a', container: 'job', datetime: '2026-11-21T00:00:02Z', message: 'bye'}]
    nock(API).get(`${JOBS}/jobs/myjob/logs`).query(true).reply(200, records.map((r) => JSON.stringify(r)).join('\n') + '\n')
    expect(expectRecords('jobs logs', (await run(['jobs', 'logs', 'myjob', '--json'])).stdout)).to.have.length(2)
  })

  it('jobs delete, flush, restart, images, quota', async () => {
    nock(API).delete(`${JOBS}/jobs/myjob`).reply(200, {messages: {}})
    expectDocument('jobs delete', (await run(['jobs', 'delete', 'myjob', '--json'])).stdout)
    nock(API).delete(`${JOBS}/jobs`).reply(200, {messages: {}})
    expectDocument('jobs flush', (await run(['jobs', 'flush', '--json'])).stdout)
    nock(API).post(`${JOBS}/jobs/myjob/restart`).reply(200, {messages: {}})
    expectDocument('jobs restart', (await run(['jobs', 'restart', 'myjob', '--json'])).stdout)
    nock(API).get(`${JOBS}/images`).reply(200, {images: [{shortname: 'python3.11', image: 'docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web:latest'}]})
    expectDocument('jobs images', (await run(['jobs', 'images', '--json'])).stdout)
    const categories = [{name: 'Running jobs', items: [{name: 'CPU', limit: '4.0', used: '0.5'}]}, {name: 'Per-job limits', items: [{name: 'CPU', limit: '1.0', used: null}]}]
    nock(API).get(`${JOBS}/quotas`).reply(200, {quota: {categories}})
    expectDocument('jobs quota', (await run(['jobs', 'quota', '--json'])).stdout)
  })

  it('build list, show, quota, clean', async () => {
    nock(API).get(`${BUILDS}/builds`).reply(200, {builds: [build(), build({build_id: ID2, status: 'BUILD_RUNNING', end_time: null})], messages: {}})
    expectDocument('build list', (await run(['build', 'list', '--json'])).stdout)
    nock(API).get(`${BUILDS}/builds/latest`).reply(200, {build: build(), messages: {info: ['hi']}})
    expectDocument('build show', (await run(['build', 'show', '--json'])).stdout)
    const quota = {categories: [{name: 'Registry', items: [{name: 'Storage', limit: '10.00Gi', used: '1.25Gi', available: '8.75Gi', capacity: '13%'}]}]}
    nock(API).get(`${BUILDS}/quotas`).reply(200, {quota, messages: {}})
    expectDocument('build quota', (await run(['build', 'quota', '--json'])).stdout)
    nock(API).post(`${BUILDS}/clean`).reply(200, {messages: {info: ['Deleted 3 artifacts']}})
    expectDocument('build clean', (await run(['build', 'clean', '--json', '-y'])).stdout)
  })

  it('build start (detached and followed) and logs (NDJSON)', async () => {
    const started = {new_build: {name: ID, resolved_ref: 'abc', parameters: {source_url: REPO, ref: 'main'}}, messages: {}}
    nock(API).post(`${BUILDS}/builds`).reply(200, started)
    expectDocument('build start', (await run(['build', 'start', REPO, '--detach', '--json'])).stdout)
    nock(API)
      .post(`${BUILDS}/builds`).reply(200, started)
      .get(`${BUILDS}/builds/${ID}/logs`).query(true).reply(200, '{"line": "building"}\n')
      .get(`${BUILDS}/builds/${ID}`).reply(200, {build: build(), messages: {}})
    const followed = await run(['build', 'start', REPO, '--json'])
    expect(expectDocument('build start', followed.stdout).build.status).to.equal('ok')
    expect(followed.stderr).to.include('building')
    nock(API).get(`${BUILDS}/builds/${ID}/logs`).query(true).reply(200, '{"line": "one"}\n{"line": "two \\"quoted\\""}\n')
    const logs = await run(['build', 'logs', ID, '--json'])
    expect(expectRecords('build logs', logs.stdout)).to.deep.equal([{line: 'one'}, {line: 'two "quoted"'}])
  })

  it('build cancel and delete, including a partial failure (document on stdout, one error line, exit 1)', async () => {
    nock(API).put(`${BUILDS}/builds/${ID}/cancel`).reply(200, {id: ID})
    const cancelled = await run(['build', 'cancel', ID, '--json', '-y'])
    expect(expectDocument('build cancel', cancelled.stdout)).to.deep.equal({cancelled: [ID], failed: []})
    expect(cancelled.stderr).to.equal('')
    nock(API).delete(`${BUILDS}/builds/${ID}`).reply(200, {id: ID}).delete(`${BUILDS}/builds/nope`).reply(404, {error: ['Build with id nope not found']})
    const partial = await run(['build', 'delete', ID, 'nope', '--json', '-y'])
    expect(partial.exitCode).to.equal(1)
    const document = expectDocument('build delete', partial.stdout)
    expect(document).to.deep.equal({deleted: [ID], failed: [{id: 'nope', error: {message: 'Build with id nope not found', exit_code: 1, status: 404}}]})
    expect(expectErrorLine(partial.stderr, 1).message).to.equal('1 of 2 builds could not be deleted')
  })
})
