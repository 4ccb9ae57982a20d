import {expect} from 'chai'
import nock from 'nock'
import {parseAllDocuments} from 'yaml'

import {run} from '../../helpers/run.js'
import {API, JOBS} from '../../helpers/tool-env.js'
import {APPS, CORE, deployment, K8S, list, makeWebserviceEnv, ROUTES, runningPod, type WebserviceEnv} from '../../webservice/env.js'
import {IMAGE_CONFIG_URL, imageConfigMap} from '../../webservice/image-config-fixture.js'

type Json = Record<string, any>

const UID = '50001'
const PHP99 = 'docker-registry.svc.toolforge.org/toolforge-php99-sssd-web:latest'
const PHP74_EMBEDDED = 'docker-registry.tools.wmflabs.org/toolforge-php74-sssd-web:latest'
const FALLBACK = 'webservice types: using the built-in list, ConfigMap tf-public/image-config could not be used:'

/** The cluster publishes the fixture's images-v1.yaml; counts how often it is asked. */
function clusterTypes(reply: () => [number, unknown] = () => [200, imageConfigMap()]) {
  const seen = {count: 0}
  const scope = nock(K8S)
    .get(IMAGE_CONFIG_URL)
    .times(10)
    .reply(() => {
      seen.count++
      return reply()
    })
  return {scope, seen}
}

async function dryRun(args: string[]): Promise<{stdout: string; stderr: string; exitCode: number}> {
  return run(['webservice', '--dry-run', ...args])
}

const jobsBody = async (args: string[]) => {
  const {stdout, stderr, exitCode} = await dryRun(['--backend=jobs-api', '--json', ...args])
  if (exitCode !== 0) throw new Error(`exit ${exitCode}: ${stderr}`)
  return (JSON.parse(stdout) as Json[])[0]
}

const kubeImage = async (args: string[]) => {
  const {stdout, stderr, exitCode} = await dryRun(['--backend=kubernetes', '--uid', UID, ...args])
  if (exitCode !== 0) throw new Error(`exit ${exitCode}: ${stderr}`)
  return (parseAllDocuments(stdout)[0].toJS() as Json).spec.template.spec.containers[0].image as string
}

describe('webservice types from the cluster (ConfigMap tf-public/image-config)', () => {
  let env: WebserviceEnv
  beforeEach(() => {
    env = makeWebserviceEnv()
    env.touch('public_html/', 'www/python/src/')
  })
  afterEach(() => env.restore())

  it('types: lists the cluster types (buildservice added), not the built-in catalogue', async () => {
    clusterTypes()
    const {stdout, stderr, exitCode} = await run(['webservice', 'types'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    const rows = stdout.trimEnd().split('\n').slice(1).map((line) => line.split(/\s+/))
    expect(rows).to.deep.equal([
      ['buildservice', 'tools-harbor.wmcloud.org/tool-mytool/tool-mytool:latest', 'stable'],
      ['jdk21', 'docker-registry.svc.toolforge.org/toolforge-jdk21-sssd-web:latest', 'stable'],
      ['php7.4', '(default)', PHP74_EMBEDDED, 'stable'],
      ['php9.9', PHP99, 'stable'],
      ['python3.11', 'docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web:latest', 'deprecated'],
    ])
    const json = JSON.parse((await run(['webservice', 'types', '--json'])).stdout) as {types: Json[]}
    expect(json.types.find((t) => t.name === 'jdk21')).to.deep.equal({name: 'jdk21', image: 'docker-registry.svc.toolforge.org/toolforge-jdk21-sssd-web:latest', state: 'stable', default: false, runner: 'generic'})
  })

  it('accepts a type only the cluster has, with its image, runner and resources (both backends)', async () => {
    const {seen} = clusterTypes()
    expect(await jobsBody(['php9.9', 'start'])).to.include({imagename: 'php9.9', cmd: '/usr/bin/webservice-runner --type lighttpd --port 8000'})
    expect(await jobsBody(['jdk21', 'start', '--', 'java', '-jar', 'app.jar'])).to.include({memory: '1Gi', cmd: '/usr/bin/webservice-runner --type generic --port 8000 java -jar app.jar'})
    expect(await kubeImage(['php9.9', 'start'])).to.equal(PHP99)
    expect(seen.count).to.equal(3)
  })

  it('kubernetes start: the Deployment runs the image the cluster names; status reports its type', async () => {
    clusterTypes()
    const bodies: Json[] = []
    let started = false
    const capture = (status: number) => (_uri: string, body: unknown): [number, Json] => {
      const obj = body as Json
      bodies.push(obj)
      started ||= obj.kind === 'HTTPRoute'
      return [status, obj]
    }
    nock(K8S)
      .get(`${CORE}/pods`).query(true).reply(200, list([]))
      .get(`${APPS}/deployments`).query(true).twice().reply(200, list([]))
      .post(`${APPS}/deployments`).reply(capture(201))
      .get(`${CORE}/services`).query(true).reply(200, list([]))
      .post(`${CORE}/services`).reply(capture(201))
      .get(`${ROUTES}/httproutes`).query(true).reply(200, list([]))
      .post(`${ROUTES}/httproutes`).reply(capture(201))
      .get(`${CORE}/pods`).query(true).reply(() => [200, list(started ? [runningPod('p')] : [])])
      .get(`${APPS}/deployments`).query(true).reply(200, list([deployment(PHP99)]))
      .get(`${CORE}/pods`).query(true).reply(200, list([runningPod('p')]))
      .get(`${APPS}/deployments`).query(true).reply(200, list([deployment(PHP99)]))
    const {stderr, exitCode} = await run(['webservice', 'php9.9', 'start', '--backend=kubernetes', '--uid', UID])
    expect(exitCode, stderr).to.equal(0)
    expect(bodies[0].spec.template.spec.containers[0].image).to.equal(PHP99)
    // What is deployed, named from the cluster's table, whatever was typed (Q-WS-09).
    const status = await run(['webservice', 'php7.4', 'status', '--json'])
    expect(JSON.parse(status.stdout)).to.include({type: 'php9.9', state: 'running'})
  })

  it('refuses a type the built-in catalogue has but the cluster does not, listing the cluster types', async () => {
    clusterTypes()
    const {stderr, exitCode} = await dryRun(['python3.9', 'start', '--backend=jobs-api'])
    expect(exitCode).to.equal(1)
    // python3.11 is deprecated on this cluster: accepted, but not offered.
    expect(stderr).to.contain('ERROR: type must be one of:\n  * buildservice\n  * jdk21\n  * php7.4\n  * php9.9\n')
    expect(stderr).not.to.contain('python3.11')
  })

  it('warns about types the cluster deprecates', async () => {
    clusterTypes()
    const {stderr, exitCode} = await dryRun(['python3.11', 'start', '--backend=jobs-api'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain("DEPRECATED: 'python3.11' type is deprecated.")
  })

  const html = '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>'
  const FALLBACKS: Array<[string, () => [number, unknown], RegExp]> = [
    ['403', () => [403, {kind: 'Status', status: 'Failure', message: 'configmaps "image-config" is forbidden: User "mytool" cannot get resource "configmaps" in the namespace "tf-public"', code: 403}], /is forbidden/],
    ['404', () => [404, {kind: 'Status', status: 'Failure', message: 'configmaps "image-config" not found', code: 404}], /not found/],
    ['malformed YAML', () => [200, imageConfigMap('php7.4: [unclosed\n')], /images-v1\.yaml is not valid YAML/],
    ['YAML of another shape', () => [200, imageConfigMap('- php7.4\n')], /images-v1\.yaml is not a mapping of images/],
    ['a ConfigMap without images-v1.yaml', () => [200, {kind: 'ConfigMap', data: {}}], /has no data key images-v1\.yaml/],
    ['an HTML page', () => [200, html], /an HTML page instead of JSON/],
  ]
  for (const [what, reply, reason] of FALLBACKS) {
    it(`falls back to the built-in catalogue on ${what}, silently unless --debug`, async () => {
      const {seen} = clusterTypes(reply)
      const quiet = await dryRun(['python3.9', 'start', '--backend=kubernetes', '--uid', UID])
      expect(quiet.exitCode, quiet.stderr).to.equal(0)
      expect(quiet.stderr).to.equal('')
      expect(await kubeImage(['php7.4', 'start'])).to.equal(PHP74_EMBEDDED)
      const debug = await dryRun(['start', '--backend=kubernetes', '--uid', UID, '--debug'])
      expect(debug.exitCode).to.equal(0)
      const line = debug.stderr.split('\n').find((l) => l.includes(FALLBACK)) ?? ''
      expect(line).to.match(reason)
      // One request each time: never retried.
      expect(seen.count).to.equal(3)
    })
  }

  it('falls back when the connection is refused, or no Kubernetes API answers at all', async () => {
    let attempts = 0
    nock(K8S).get(IMAGE_CONFIG_URL).times(5).replyWithError(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6443'), {code: 'ECONNREFUSED'})).on('request', () => attempts++)
    const refused = await dryRun(['php7.4', 'start', '--backend=jobs-api', '--json', '--debug'])
    expect(refused.exitCode).to.equal(0)
    expect(refused.stderr).to.contain(FALLBACK)
    expect(attempts).to.equal(1)
    nock.cleanAll()
    // Nothing listens (net connect is disabled in tests): every command still works.
    expect((await run(['webservice', 'types'])).stdout).to.contain('python3.9')
    expect((await jobsBody(['python3.9', 'start'])).imagename).to.equal('python3.9')
  })

  it('gives up on a ConfigMap that does not answer within a few seconds', async function () {
    this.timeout(15_000)
    nock(K8S).get(IMAGE_CONFIG_URL).delay(10_000).reply(200, imageConfigMap())
    const started = Date.now()
    const {stderr, exitCode} = await dryRun(['python3.9', 'start', '--backend=jobs-api', '--debug'])
    expect(exitCode).to.equal(0)
    expect(Date.now() - started).to.be.below(6000)
    expect(stderr).to.contain(FALLBACK)
  })

  it('a bare stop, status or logs never reads it', async () => {
    const {seen} = clusterTypes()
    env.writeManifest('backend: jobs-api\nweb: php9.9\nversion: 4\n')
    nock(API).get(`${JOBS}/jobs/webservice`).query(true).times(3).reply(404, {error: ["Job 'webservice' does not exist"]})
    nock(API).get(`${JOBS}/jobs/webservice/logs`).query(true).reply(404, {error: ["Job 'webservice' does not exist"]})
    for (const action of ['status', 'stop', 'logs']) expect((await run(['webservice', action])).exitCode, action).to.equal(0)
    expect(seen.count).to.equal(0)
  })
})
