import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {Config} from '@oclif/core'
import {expect} from 'chai'
import nock from 'nock'

import {buildJobObjects} from '../../src/kube/jobs.js'
import {run} from '../helpers/run.js'
import {API, JOBS} from '../helpers/tool-env.js'
import {makeWebserviceEnv, type WebserviceEnv} from '../webservice/env.js'
import {expectDocument, expectErrorLine, expectRecords, SCHEMAS, violations} from './schemas.js'

const ENVVARS = '/envvars/v1/tool/mytool'
const NOT_FOUND = {error: ["Job 'webservice' does not exist"]}
const WEB_JOB = {name: 'webservice', cmd: '/usr/bin/webservice-runner --type lighttpd --port 8000', imagename: 'php8.2', job_type: 'continuous', status_short: 'Running', port: 8000, publish: '/', replicas: 1}

describe('--json contract: envvars, webservice, sandbox, policy', () => {
  let env: WebserviceEnv
  beforeEach(() => {
    env = makeWebserviceEnv()
    process.env.CI = '1'
  })
  afterEach(() => {
    delete process.env.CI
    env.restore()
  })

  it('envvars list, show, create, delete, quota (values only with --show-values)', async () => {
    nock(API).get(`${ENVVARS}/envvars`).reply(200, {envvars: [{name: 'MY_API_TOKEN', value: 's3cr3t'}], messages: {}})
    expect(expectDocument('envvars list', (await run(['envvars', 'list', '--json'])).stdout).envvars[0]).to.deep.equal({name: 'MY_API_TOKEN'})
    nock(API).get(`${ENVVARS}/envvars/MY_API_TOKEN`).reply(200, {envvar: {name: 'MY_API_TOKEN', value: 's3cr3t'}, messages: {}})
    expect(expectDocument('envvars show', (await run(['envvars', 'show', 'MY_API_TOKEN', '--show-values', '--json'])).stdout).envvar.value).to.equal('s3cr3t')
    nock(API).post(`${ENVVARS}/envvars`).reply(200, {envvar: {name: 'MY_API_TOKEN', value: 'v'}, messages: {}})
    expectDocument('envvars create', (await run(['envvars', 'create', 'MY_API_TOKEN', 'v', '--json'])).stdout)
    nock(API).delete(`${ENVVARS}/envvars/MY_API_TOKEN`).reply(200, {envvar: {name: 'MY_API_TOKEN', value: 'v'}, messages: {}})
    expectDocument('envvars delete', (await run(['envvars', 'delete', 'MY_API_TOKEN', '--json', '--yes'])).stdout)
    nock(API).get(`${ENVVARS}/quotas`).reply(200, {quota: {quota: 10, used: 3}, messages: {}})
    expectDocument('envvars quota', (await run(['envvars', 'quota', '--json'])).stdout)
  })

  it('webservice status, start, restart, stop (jobs-api backend)', async () => {
    env.touch('public_html/')
    env.writeManifest('backend: jobs-api\nweb: php8.2\nversion: 4\n')
    nock(API).get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: WEB_JOB})
    expectDocument('webservice status', (await run(['webservice', 'status', '--json'])).stdout)
    nock(API).post(`${JOBS}/jobs/webservice/restart`).optionally().reply(200, {})
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: WEB_JOB})
      .patch(`${JOBS}/jobs`).reply(200, {job_changed: true, messages: {}})
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: WEB_JOB})
    expectDocument('webservice restart', (await run(['webservice', 'restart', '--json'])).stdout)
    nock(API)
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: WEB_JOB})
      .delete(`${JOBS}/jobs/webservice`).reply(200, {messages: {}})
      .get(`${JOBS}/jobs/webservice`).query(true).reply(404, NOT_FOUND)
    expectDocument('webservice stop', (await run(['webservice', 'stop', '--json'])).stdout)
    nock(API)
      .get(`${JOBS}/jobs/webservice`).query(true).reply(404, NOT_FOUND)
      .post(`${JOBS}/jobs`).reply(201, {job: WEB_JOB})
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: WEB_JOB})
    expectDocument('webservice start', (await run(['webservice', 'php8.2', 'start', '--json'])).stdout)
  })

  it('webservice types, start --dry-run, logs (NDJSON)', async () => {
    expectDocument('webservice types', (await run(['webservice', 'types', '--json'])).stdout)
    env.touch('public_html/')
    nock(API).get(`${JOBS}/jobs/webservice`).query(true).reply(404, NOT_FOUND)
    expectDocument('webservice start --dry-run', (await run(['webservice', 'php8.2', 'start', '--backend=jobs-api', '--dry-run', '--json'])).stdout)
    env.writeManifest('backend: jobs-api\nversion: 4\n')
    const record = {pod: 'webservice-7d9-x', container: 'webservice', datetime: '2026-11-22T08:00:00Z', message: 'lighttpd started'}
    nock(API).get(`${JOBS}/jobs/webservice/logs`).query(true).reply(200, JSON.stringify(record) + '\n')
    expectRecords('webservice logs', (await run(['webservice', 'logs', '--json'])).stdout)
  })

  it('policy check: passing and failing reports (a failing one still prints its document, exit 1)', async () => {
    const pod = (securityContext: object) => JSON.stringify({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p'}, spec: {securityContext, containers: [{name: 'c', image: 'x', securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}}}]}})
    const good = join(env.home, 'good.json')
    const objects = buildJobObjects({name: 'mybot', cmd: './bot.py', imagename: 'python3.11', job_type: 'continuous', port: 8080}, {tool: 'mytool', uid: 52345})
    writeFileSync(good, JSON.stringify({apiVersion: 'v1', kind: 'List', items: objects}))
    const passed = await run(['policy', 'check', '-f', good, '--tool', 'mytool', '--uid', '52345', '--json'])
    expect(expectDocument('policy check', passed.stdout).ok, passed.stderr).to.equal(true)
    const bad = join(env.home, 'bad.json')
    writeFileSync(bad, pod({runAsUser: 0}))
    const failed = await run(['policy', 'check', '-f', bad, '--tool', 'mytool', '--uid', '52345', '--json'])
    expect(failed.exitCode).to.equal(1)
    expect(expectDocument('policy check', failed.stdout).ok).to.equal(false)
    expect(JSON.parse(failed.stderr)).to.deep.equal({error: {message: '1 of 1 manifests do not comply with the Toolforge pod policy', exit_code: 1}})
  })

  describe('sandbox', function () {
    this.timeout(60_000)
    let dataDir: string
    before(() => nock.enableNetConnect('127.0.0.1'))
    after(() => nock.disableNetConnect())

    it('start, status, env, stop, reset', async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'tf-sandbox-json-'))
      const port = await new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const {port: free} = server.address() as {port: number}
          server.close(() => resolve(free))
        })
      })
      try {
        expectDocument('sandbox status', (await run(['sandbox', 'status', '--data-dir', dataDir, '--json'])).stdout)
        const started = await run(['sandbox', 'start', '--data-dir', dataDir, '--port', String(port), '--json'])
        expect(started.exitCode, started.stderr).to.equal(0)
        expectDocument('sandbox start', started.stdout)
        expect(expectDocument('sandbox status', (await run(['sandbox', 'status', '--data-dir', dataDir, '--json'])).stdout).running).to.equal(true)
        expectDocument('sandbox env', (await run(['sandbox', 'env', '--data-dir', dataDir, '--json'])).stdout)
        expectDocument('sandbox stop', (await run(['sandbox', 'stop', '--data-dir', dataDir, '--json'])).stdout)
        const stoppedAgain = await run(['sandbox', 'stop', '--data-dir', dataDir, '--json'])
        expect(stoppedAgain.stdout).to.equal('')
        expectErrorLine(stoppedAgain.stderr, 1)
        expectDocument('sandbox reset', (await run(['sandbox', 'reset', '--data-dir', dataDir, '--json', '--yes'])).stdout)
      } finally {
        await run(['sandbox', 'stop', '--data-dir', dataDir])
        rmSync(dataDir, {recursive: true, force: true})
      }
    })
  })
})

describe('--json contract: the schemas themselves', () => {
  it('reject a removed or renamed field, and accept an added one', () => {
    const job = {name: 'a', cmd: 'b', imagename: 'c', job_type: 'one-off'}
    expect(violations('jobs show', job)).to.deep.equal([])
    expect(violations('jobs show', {...job, brand_new_field: [1]})).to.deep.equal([])
    const {imagename, ...removed} = job
    expect(violations('jobs show', removed)).to.deep.equal(["$: missing required property 'imagename'"])
    expect(violations('jobs show', {...removed, image_name: imagename})).to.deep.equal(["$: missing required property 'imagename'"])
    expect(violations('jobs list', {jobs: [{...job, cmd: 1}]})).to.deep.equal(['$.jobs[0].cmd: expected string, got integer'])
    expect(violations('build cancel', {cancelled: []})).to.deep.equal(["$: missing required property 'failed'"])
  })

  it('cover every command that has --json, and every schema is exercised by a test here', async () => {
    const config = await Config.load({root: new URL('../../', import.meta.url).pathname})
    const withJson = config.commands.filter((c) => c.enableJsonFlag && c.pluginType === 'core').map((c) => c.id.replaceAll(':', ' '))
    const keys = [...SCHEMAS.keys()]
    for (const id of withJson) expect(keys.some((key) => key === id || key.startsWith(`${id} `)), `schema for ${id}`).to.equal(true)
    const dir = new URL('.', import.meta.url).pathname
    const tests = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n')
    for (const key of keys) expect(tests.includes(`'${key}'`), `a test uses the '${key}' schema`).to.equal(true)
  })
})
