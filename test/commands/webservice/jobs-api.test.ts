import {expect} from 'chai'
import nock from 'nock'
import {parse} from 'yaml'

import {run} from '../../helpers/run.js'
import {API, JOBS} from '../../helpers/tool-env.js'
import {fixture, makeWebserviceEnv, type WebserviceEnv} from '../../webservice/env.js'

type Json = Record<string, any>

const NOT_FOUND = {error: ["Job 'webservice' does not exist"]}
const RUNNING_JOB = {
  name: 'webservice', cmd: '/usr/bin/webservice-runner --type lighttpd --port 8000', imagename: 'php8.2', job_type: 'continuous',
  status_short: 'Running', port: 8000, publish: '/', replicas: 1,
}

describe('webservice --backend=jobs-api', () => {
  let env: WebserviceEnv
  beforeEach(() => {
    env = makeWebserviceEnv()
    env.touch('public_html/')
  })
  afterEach(() => env.restore())

  it('start (the default backend): creates the published continuous job, waits for it, remembers jobs-api', async () => {
    let body: Json = {}
    const api = nock(API)
      .get(`${JOBS}/jobs/webservice`).query({include_unset: 'true'}).reply(404, NOT_FOUND)
      .post(`${JOBS}/jobs`, (b: Json) => {
        body = b
        return true
      })
      .reply(201, {job: RUNNING_JOB, messages: {info: [], warning: [], error: []}})
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: RUNNING_JOB})
    const {stdout, stderr, exitCode} = await run(['webservice', 'php8.2', 'start', '--mem', '1Gi', '-c', '0.5', '-r', '2', '--health-check-path', '/healthz'])
    expect(exitCode).to.equal(0)
    expect(api.isDone()).to.equal(true)
    expect(stdout).to.equal('Starting webservice\nYour webservice is available at https://mytool.toolforge.org\n')
    expect(stderr).to.contain("WARNING: No explicit backend provided.\n  Using default of 'jobs-api'")
    expect(body).to.deep.equal({
      name: 'webservice', job_type: 'continuous', imagename: 'php8.2', cmd: '/usr/bin/webservice-runner --type lighttpd --port 8000',
      filelog: false, replicas: 2, port: 8000, port_protocol: 'tcp', publish: '/', memory: '1Gi', cpu: '0.5',
      health_check: {type: 'http', path: '/healthz'},
    })
    expect(parse(env.readManifest())).to.deep.equal({
      backend: 'jobs-api', 'buildservice-image': 'tool-mytool/tool-mytool:latest', cpu: '0.5', memory: '1Gi', replicas: 2, version: 4, web: 'php8.2',
      'health-check-path': '/healthz',
    })
  })

  it('start: buildservice images run their web process; extra args are shell-quoted', async () => {
    const bodies: Json[] = []
    nock(API)
      .get(`${JOBS}/jobs/webservice`).query(true).reply(404, NOT_FOUND)
      .post(`${JOBS}/jobs`, (b: Json) => bodies.push(b) > 0).twice().reply(201, {job: RUNNING_JOB})
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: RUNNING_JOB})
      .get(`${JOBS}/jobs/webservice`).query(true).reply(404, NOT_FOUND)
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: RUNNING_JOB})
    expect((await run(['webservice', 'buildservice', 'start', '--backend=jobs-api', '--mount', 'none'])).exitCode).to.equal(0)
    env.writeManifest('')
    expect((await run(['webservice', 'jdk17', 'start', '--backend=jobs-api', '--', 'java', '-jar', 'app$1.jar'])).exitCode).to.equal(0)
    expect(bodies[0]).to.include({imagename: 'tool-mytool/tool-mytool:latest', cmd: 'web', mount: 'none'})
    expect(bodies[1]).to.include({imagename: 'jdk17', cmd: "/usr/bin/webservice-runner --type generic --port 8000 java -jar 'app$1.jar'", memory: '1Gi'})
  })

  it('start: falls back to deprecated_webservice_job when the API does not know `publish`', async () => {
    let legacy: Json = {}
    env.touch('www/python/src/')
    nock(API)
      .get(`${JOBS}/jobs/webservice`).query(true).reply(404, NOT_FOUND)
      .post(`${JOBS}/jobs`).reply(422, {detail: [{loc: ['body', 'publish'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden'}]})
      .post(`${JOBS}/deprecated_webservice_job`, (b: Json) => {
        legacy = b
        return true
      })
      .reply(200, {job: {...RUNNING_JOB, job_type: 'webservice'}, messages: {warning: ['This endpoint is deprecated and will be removed in the future.']}})
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: RUNNING_JOB})
    const second = await run(['webservice', 'python3.11', 'start', '--backend=jobs-api', '--', '--venv'])
    expect(second.exitCode).to.equal(0)
    expect(second.stderr).to.contain('WARNING: This endpoint is deprecated')
    expect(legacy).to.deep.equal({name: 'webservice', job_type: 'webservice', imagename: 'python3.11', cmd: '--venv', filelog: false, replicas: 1, port: 8000})
  })

  it('start: says clearly when the API supports neither (exit 1)', async () => {
    nock(API)
      .get(`${JOBS}/jobs/webservice`).query(true).reply(404, NOT_FOUND)
      .post(`${JOBS}/jobs`).reply(405, {detail: 'Method Not Allowed'})
      .post(`${JOBS}/deprecated_webservice_job`).reply(404, {detail: 'Not Found'})
    const {stderr, exitCode} = await run(['webservice', 'start', '--backend=jobs-api'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain('ERROR: This jobs API can run neither published continuous jobs nor webservice jobs.').and.contain('--backend=kubernetes')
  })

  it('start: passes other API errors through (400 → exit 1, 500 → exit 2)', async () => {
    const route = 'Attempt to create job failed. The job cannot be published because the domain \'mytool.toolforge.org\' and path \'/\' are already in use by another public job or webservice.'
    nock(API).get(`${JOBS}/jobs/webservice`).query(true).reply(404, NOT_FOUND).post(`${JOBS}/jobs`).reply(400, {error: [route]})
    const first = await run(['webservice', 'start', '--backend=jobs-api'])
    expect(first.exitCode).to.equal(1)
    expect(first.stderr).to.contain(`ERROR: ${route}`)
    nock(API).get(`${JOBS}/jobs/webservice`).query(true).reply(404, NOT_FOUND).post(`${JOBS}/jobs`).reply(500, {error: ['Unknown error (boom)']})
    expect((await run(['webservice', 'start', '--backend=jobs-api'])).exitCode).to.equal(2)
  })

  it('start --json: the result object on stdout, progress on stderr', async () => {
    nock(API)
      .get(`${JOBS}/jobs/webservice`).query(true).reply(404, NOT_FOUND)
      .post(`${JOBS}/jobs`).reply(201, {job: RUNNING_JOB})
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: RUNNING_JOB})
    const {stdout, stderr, exitCode} = await run(['webservice', 'start', '--backend=jobs-api', '--json'])
    expect(exitCode).to.equal(0)
    expect(JSON.parse(stdout)).to.deep.equal({action: 'start', backend: 'jobs-api', state: 'running', type: 'php7.4', url: 'https://mytool.toolforge.org'})
    expect(stderr).to.contain('Starting webservice\n')
  })

  it('start: refuses when the webservice job exists (exit 1)', async () => {
    nock(API).get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: RUNNING_JOB})
    const {stderr, exitCode} = await run(['webservice', 'start', '--backend=jobs-api'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain('ERROR: Your job is already running')
  })

  it('status: running, with the deployed type and URL; --json', async () => {
    env.writeManifest('backend: jobs-api\nweb: php7.4\nversion: 4\n')
    nock(API).get(`${JOBS}/jobs/webservice`).query(true).twice().reply(200, {job: RUNNING_JOB})
    const {stdout, stderr, exitCode} = await run(['webservice', 'status'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal('Your webservice of type php8.2 is running on backend jobs-api\nPublic URL: https://mytool.toolforge.org\n')
    const json = await run(['webservice', 'status', '--json'])
    expect(JSON.parse(json.stdout)).to.deep.equal({action: 'status', backend: 'jobs-api', state: 'running', type: 'php8.2', url: 'https://mytool.toolforge.org'})
  })

  it('status: not running (exit 0); the public domain comes from webservice.yaml', async () => {
    env.restore()
    env = makeWebserviceEnv({webserviceYaml: 'public_domain: beta.toolforge.org\n'})
    env.writeManifest('backend: jobs-api\nversion: 4\n')
    nock(API).get(`${JOBS}/jobs/webservice`).query(true).reply(404, NOT_FOUND)
    const {stdout, exitCode} = await run(['webservice', 'status'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Your webservice is not running\n')
  })

  it('stop: deletes the job and clears the manifest', async () => {
    env.writeManifest(fixture('v0.98-service.manifest-after-start-php74.yaml').replace('backend: kubernetes', 'backend: jobs-api'))
    const api = nock(API)
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: RUNNING_JOB})
      .delete(`${JOBS}/jobs/webservice`).reply(200, {messages: {}})
      .get(`${JOBS}/jobs/webservice`).query(true).reply(404, NOT_FOUND)
    const {stdout, exitCode} = await run(['webservice', 'stop'])
    expect(exitCode).to.equal(0)
    expect(api.isDone()).to.equal(true)
    expect(stdout).to.equal('Stopping webservice\n')
    expect(parse(env.readManifest())).to.deep.equal({version: 4})
  })

  it('restart: updates the job; when nothing changed asks the API to restart it', async () => {
    env.writeManifest('backend: jobs-api\nweb: php8.2\nreplicas: 3\nversion: 4\n')
    let patched: Json = {}
    const api = nock(API)
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: RUNNING_JOB})
      .patch(`${JOBS}/jobs`, (b: Json) => {
        patched = b
        return true
      })
      .reply(200, {job_changed: false, messages: {info: ['Job webservice is already up to date']}})
      .post(`${JOBS}/jobs/webservice/restart`).reply(200, {messages: {}})
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: RUNNING_JOB})
    const {stdout, exitCode} = await run(['webservice', 'restart'])
    expect(exitCode).to.equal(0)
    expect(api.isDone()).to.equal(true)
    expect(stdout).to.equal('Restarting...\nJob webservice is already up to date\nYour webservice is available at https://mytool.toolforge.org\n')
    expect(patched).to.include({name: 'webservice', job_type: 'continuous', imagename: 'php8.2', replicas: 3, publish: '/'})
  })

  it('restart: a changed job is redeployed by the update alone', async () => {
    env.writeManifest('backend: jobs-api\nweb: php8.2\nversion: 4\n')
    const api = nock(API)
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: RUNNING_JOB})
      .patch(`${JOBS}/jobs`).reply(200, {job_changed: true, messages: {info: ['Job webservice was updated in storage and runtime']}})
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: RUNNING_JOB})
    const {exitCode} = await run(['webservice', 'restart', '--mem', '2Gi'])
    expect(exitCode).to.equal(0)
    expect(api.isDone()).to.equal(true)
    expect(env.readManifest()).to.contain('memory: 2Gi')
  })

  it('restart: prints the URL the server publishes the webservice at, as start does', async () => {
    env.writeManifest('backend: jobs-api\nweb: php8.2\nversion: 4\n')
    const local = {...RUNNING_JOB, publish_url: 'http://127.0.0.1:8000'}
    nock(API)
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: local})
      .patch(`${JOBS}/jobs`).reply(200, {job_changed: true, messages: {}})
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: local})
    const {stdout, exitCode} = await run(['webservice', 'restart'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Restarting...\nYour webservice is available at http://127.0.0.1:8000\n')
  })

  it('restart: a PENDING webservice is updated in place, not created again', async () => {
    env.writeManifest('backend: jobs-api\nweb: php8.2\nversion: 4\n')
    const pending = {...RUNNING_JOB, status_short: 'Waiting for the pod to start'}
    const api = nock(API)
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: pending})
      .patch(`${JOBS}/jobs`).reply(200, {job_changed: true, messages: {}})
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: RUNNING_JOB})
    const {stdout, exitCode} = await run(['webservice', 'restart'])
    expect(exitCode).to.equal(0)
    expect(api.isDone()).to.equal(true)
    expect(stdout).to.match(/^Restarting\.\.\.\n/)
  })

  it('restart: when stopped, starts with upstream prompt', async () => {
    env.writeManifest('backend: jobs-api\nversion: 4\n')
    nock(API)
      .get(`${JOBS}/jobs/webservice`).query(true).reply(404, NOT_FOUND)
      .post(`${JOBS}/jobs`).reply(201, {job: RUNNING_JOB})
      .get(`${JOBS}/jobs/webservice`).query(true).reply(200, {job: RUNNING_JOB})
    const {stdout, exitCode} = await run(['webservice', 'restart'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.match(/^Your job is not running, starting\n/)
  })

  it('logs: prints the job log records as upstream webservice lines', async () => {
    env.writeManifest('backend: jobs-api\nversion: 4\n')
    const records = [
      {pod: 'webservice-7d9-x', container: 'webservice', datetime: '2026-11-22T08:00:00Z', message: 'lighttpd started'},
      {pod: 'webservice-7d9-x', container: 'webservice', datetime: '2026-11-22T08:00:01Z', message: 'GET /'},
    ]
    nock(API).get(`${JOBS}/jobs/webservice/logs`).query({follow: 'false', lines: '10'}).reply(200, records.map((r) => JSON.stringify(r)).join('\n') + '\n')
    const {stdout, exitCode} = await run(['webservice', 'logs', '--last', '10'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('2026-11-22T08:00:00+00:00 [webservice-7d9-x] lighttpd started\n2026-11-22T08:00:01+00:00 [webservice-7d9-x] GET /\n')
  })

  it('logs: nothing to show is "No logs found!" (exit 0)', async () => {
    env.writeManifest('backend: jobs-api\nversion: 4\n')
    nock(API).get(`${JOBS}/jobs/webservice/logs`).query(true).reply(404, {error: ["Job 'webservice' does not have any logs available"]})
    const {stderr, exitCode} = await run(['webservice', 'logs'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain('No logs found!')
  })

  it('dry-run prints the request body as YAML, or JSON with --json', async () => {
    const yaml = await run(['webservice', 'start', 'php8.4', '--backend=jobs-api', '--dry-run'])
    expect(yaml.exitCode).to.equal(0)
    expect(parse(yaml.stdout)).to.include({name: 'webservice', job_type: 'continuous', imagename: 'php8.4', publish: '/', port: 8000})
    const json = await run(['webservice', 'start', 'php8.4', '--backend=jobs-api', '--dry-run', '--json'])
    expect(JSON.parse(json.stdout)).to.have.length(1)
  })
})
