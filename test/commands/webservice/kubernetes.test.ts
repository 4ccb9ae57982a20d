import {expect} from 'chai'
import nock from 'nock'
import {parseAllDocuments} from 'yaml'

import {containerSecurityContext, podSecurityContext} from '../../../src/kube/security-context.js'
import {run} from '../../helpers/run.js'
import {
  APPS, CORE, deployment, fixture, INGRESSES, K8S, list, makeWebserviceEnv, ROUTES, runningPod, WEB_SELECTOR, type WebserviceEnv,
} from '../../webservice/env.js'

const UID = '50001'
// The securityContext comes from src/kube's single definition; the fields the platform insists on
// (pod-security.md §1) are asserted on their own below.
const POD_SECURITY = podSecurityContext(50001)
const CONTAINER_SECURITY = containerSecurityContext(50001)

type Json = Record<string, any>

/** Records every request the Kubernetes API stand-in sees, in order, as `METHOD path?query`. */
function kube() {
  const calls: string[] = []
  const bodies: Json[] = []
  const scope = nock(K8S)
  const record = (reply: unknown, status = 200) =>
    function (this: {req: {method: string}}, uri: string, body: unknown): [number, unknown] {
      calls.push(`${this.req.method} ${decodeURIComponent(uri)}`)
      if (body && typeof body === 'object') bodies.push(body as Json)
      return [status, typeof reply === 'function' ? (reply as (b: unknown) => unknown)(body) : reply]
    }
  return {scope, calls, bodies, record}
}

describe('webservice --backend=kubernetes', () => {
  let env: WebserviceEnv
  beforeEach(() => {
    env = makeWebserviceEnv()
    env.touch('public_html/')
  })
  afterEach(() => env.restore())

  it('start: checks state, creates Deployment, Service, HTTPRoute in order, waits, saves the manifest', async () => {
    const k = kube()
    let started = false
    k.scope
      .get(`${CORE}/pods`).query({labelSelector: WEB_SELECTOR}).reply(k.record(list([])))
      .get(`${APPS}/deployments`).query({labelSelector: WEB_SELECTOR}).reply(k.record(list([])))
      .get(`${APPS}/deployments`).query({labelSelector: WEB_SELECTOR}).reply(k.record(list([])))
      .post(`${APPS}/deployments`).reply(k.record((body: unknown) => body, 201))
      .get(`${CORE}/services`).query({labelSelector: WEB_SELECTOR}).reply(k.record(list([])))
      .post(`${CORE}/services`).reply(k.record((body: unknown) => body, 201))
      .get(`${ROUTES}/httproutes`).query({labelSelector: WEB_SELECTOR}).reply(k.record(list([])))
      .post(`${ROUTES}/httproutes`).reply(k.record(() => {
        started = true
        return {}
      }, 201))
      .get(`${CORE}/pods`).query({labelSelector: WEB_SELECTOR}).reply(k.record(() => list(started ? [runningPod('mytool-5d8c7b9f6-abcde')] : [])))
      .get(`${APPS}/deployments`).query({labelSelector: WEB_SELECTOR}).reply(k.record(list([deployment()])))

    const {stdout, stderr, exitCode} = await run(['webservice', '--backend=kubernetes', 'start', '--uid', UID])
    expect(stderr).to.equal('')
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Starting webservice\nYour webservice is available at https://mytool.toolforge.org\n')
    const sel = `?labelSelector=${WEB_SELECTOR}`
    expect(k.calls).to.deep.equal([
      `GET ${CORE}/pods${sel}`, `GET ${APPS}/deployments${sel}`,
      `GET ${APPS}/deployments${sel}`, `POST ${APPS}/deployments`,
      `GET ${CORE}/services${sel}`, `POST ${CORE}/services`,
      `GET ${ROUTES}/httproutes${sel}`, `POST ${ROUTES}/httproutes`,
      `GET ${CORE}/pods${sel}`, `GET ${APPS}/deployments${sel}`,
    ])

    const [dep, svc, route] = k.bodies
    // The upstream v0.98 Deployment plus the explicit securityContext the platform now requires.
    const golden = JSON.parse(fixture('v0.98-php74-deployment.json')) as Json
    golden.spec.template.spec.securityContext = POD_SECURITY
    golden.spec.template.spec.containers[0].securityContext = CONTAINER_SECURITY
    const startedAt = dep.spec.template.metadata.annotations['toolforge.org/started-at'] as string
    expect(startedAt).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/)
    golden.spec.template.metadata.annotations['toolforge.org/started-at'] = startedAt
    expect(dep).to.deep.equal(golden)
    expect(dep.spec.template.spec.securityContext).to.include({fsGroup: 50001, runAsGroup: 50001, runAsNonRoot: true, runAsUser: 50001})
    expect(dep.spec.template.spec.containers[0].securityContext).to.deep.include({
      allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}, privileged: false, runAsGroup: 50001, runAsNonRoot: true, runAsUser: 50001,
    })
    expect(svc).to.deep.equal(JSON.parse(fixture('v0.98-service.json')))
    expect(route).to.deep.include({kind: 'HTTPRoute', apiVersion: 'gateway.networking.k8s.io/v1'})
    expect(route.spec.hostnames).to.deep.equal(['mytool.toolforge.org'])
    expect(env.readManifest()).to.match(/\nbackend: kubernetes\nbuildservice-image: tool-mytool\/tool-mytool:latest\nversion: 4\nweb: php7.4\n$/)
  })

  it('start: creates an Ingress instead when webservice.yaml says routing: ingress, skips kinds that exist', async () => {
    env.restore()
    env = makeWebserviceEnv({webserviceYaml: 'public_domain: beta.toolforge.org\nrouting: ingress\n'})
    env.touch('public_html/')
    const k = kube()
    k.scope
      .get(`${CORE}/pods`).query(true).reply(k.record(list([])))
      .get(`${APPS}/deployments`).query(true).reply(k.record(list([])))
      .get(`${APPS}/deployments`).query(true).reply(k.record(list([])))
      .post(`${APPS}/deployments`).reply(k.record({}, 201))
      .get(`${CORE}/services`).query(true).reply(k.record(list([{metadata: {name: 'mytool'}}])))
      .get(`${INGRESSES}/ingresses`).query(true).reply(k.record(list([])))
      .post(`${INGRESSES}/ingresses`).reply(k.record({}, 201))
      .get(`${CORE}/pods`).query(true).reply(k.record(list([runningPod('p')])))
      .get(`${APPS}/deployments`).query(true).reply(k.record(list([deployment()])))
    const {stdout, exitCode} = await run(['webservice', 'start', '--backend', 'kubernetes', '--uid', UID])
    expect(exitCode).to.equal(0)
    expect(stdout).to.contain('https://mytool.beta.toolforge.org')
    expect(k.calls.filter((c) => c.startsWith('POST'))).to.deep.equal([`POST ${APPS}/deployments`, `POST ${INGRESSES}/ingresses`])
    expect(k.bodies[1].spec.rules[0].host).to.equal('mytool.beta.toolforge.org')
  })

  it('start: refuses when something already runs (exit 1)', async () => {
    const k = kube()
    k.scope
      .get(`${CORE}/pods`).query(true).reply(k.record(list([runningPod('p')])))
      .get(`${APPS}/deployments`).query(true).reply(k.record(list([deployment()])))
    const {stderr, exitCode} = await run(['webservice', '--backend=kubernetes', 'start', '--uid', UID])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain('ERROR: Your job is already running')
  })

  it('start: a webservice that does not come up is an error with exit 2 (a timeout), and the manifest is still written (Q-WS-07)', async () => {
    const k = kube()
    k.scope
      .get(`${CORE}/pods`).query(true).twice().reply(k.record(list([])))
      .get(`${APPS}/deployments`).query(true).twice().reply(k.record(list([])))
      .get(`${APPS}/deployments`).query(true).reply(k.record(list([])))
      .post(`${APPS}/deployments`).reply(k.record({}, 201))
      .get(`${CORE}/services`).query(true).reply(k.record(list([])))
      .post(`${CORE}/services`).reply(k.record({}, 201))
      .get(`${ROUTES}/httproutes`).query(true).reply(k.record(list([])))
      .post(`${ROUTES}/httproutes`).reply(k.record({}, 201))
    const {stdout, stderr, exitCode} = await run(['webservice', '--backend=kubernetes', 'start', '--uid', UID, '--timeout', '0'])
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('Starting webservice\n')
    expect(stderr).to.contain('ERROR: Your webservice did not start within 0 seconds.')
    expect(env.readManifest()).to.contain('web: php7.4')
  })

  it('dry-run prints the objects as YAML documents, checked against the pod policy, and sends nothing', async () => {
    const {stdout, exitCode} = await run(['webservice', 'python3.11', 'start', '--backend=kubernetes', '--uid', UID, '--dry-run', '-c', '0.5', '-m', '1.5Gi'])
    expect(exitCode).to.equal(0)
    const docs = parseAllDocuments(stdout).map((d) => d.toJS() as Json)
    expect(docs.map((d) => d.kind)).to.deep.equal(['Deployment', 'Service', 'HTTPRoute'])
    const container = docs[0].spec.template.spec.containers[0]
    expect(container.image).to.equal('docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web:latest')
    expect(container.command).to.deep.equal(['/usr/bin/webservice-runner', '--type', 'uwsgi-python', '--port', '8000'])
    expect(container.resources.limits).to.deep.equal({memory: '1.5Gi', cpu: '0.5'})
    expect(docs[0].spec.template.spec.securityContext).to.deep.equal(POD_SECURITY)
  })

  it('dry-run --json prints a JSON array', async () => {
    const {stdout, exitCode} = await run(['webservice', 'start', '--backend=kubernetes', '--uid', UID, '--dry-run', '--json', '--', '--foo'])
    expect(exitCode).to.equal(0)
    const docs = JSON.parse(stdout) as Json[]
    expect(docs).to.have.length(3)
    expect(docs[0].spec.template.spec.containers[0].command.at(-1)).to.equal('--foo')
  })

  it('needs the tool uid for the securityContext: a clear error when it is unknown', async () => {
    const {stderr, exitCode} = await run(['webservice', 'start', '--backend=kubernetes', '--dry-run'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain("ERROR: Unable to find the uid of the tool account of 'mytool'").and.contain('--uid')
    expect((await run(['webservice', 'start', '--backend=kubernetes', '--dry-run', '--uid', '0'])).exitCode).to.equal(2)
  })

  const ERRORS: Array<[string, number, string]> = [
    ['a Kyverno admission denial', 403, 'admission webhook "validate.kyverno.svc-fail" denied the request: \n\npolicy Deployment/tool-mytool/mytool for resource violation: \n\ntoolforge-kyverno-pod-policy:\n  toolforge-validate-pod-policy: \'validation error: pod security configuration must be correct. rule toolforge-validate-pod-policy failed at path /spec/template/spec/containers/0/securityContext/runAsUser/\''],
    ['a quota refusal', 403, 'deployments.apps "mytool" is forbidden: exceeded quota: tool-mytool, requested: count/deployments.apps=1, used: count/deployments.apps=3, limited: count/deployments.apps=3'],
    ['an object in the way', 409, 'deployments.apps "mytool" already exists'],
  ]
  for (const [what, status, message] of ERRORS) {
    it(`start: shows ${what} verbatim (HTTP ${status} → exit 1, no stack trace)`, async () => {
      const k = kube()
      k.scope
        .get(`${CORE}/pods`).query(true).reply(k.record(list([])))
        .get(`${APPS}/deployments`).query(true).twice().reply(k.record(list([])))
        .post(`${APPS}/deployments`).reply(k.record({kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason: status === 409 ? 'AlreadyExists' : 'Forbidden', code: status}, status))
      const {stderr, exitCode} = await run(['webservice', '--backend=kubernetes', 'start', '--uid', UID])
      expect(exitCode).to.equal(1)
      expect(stderr).to.contain(`ERROR: ${message}`)
      expect(stderr).not.to.match(/\n\s+at /)
      expect(k.calls.at(-1)).to.equal(`POST ${APPS}/deployments`)
    })
  }

  it('status: 404 for a missing namespace is a user error (exit 1)', async () => {
    nock(K8S).get(`${CORE}/pods`).query(true).reply(404, {kind: 'Status', status: 'Failure', message: 'namespaces "tool-mytool" not found', code: 404})
    const {stderr, exitCode} = await run(['webservice', '--backend=kubernetes', 'status'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain('ERROR: namespaces "tool-mytool" not found')
  })

  it('stop: deletes in upstream order by label selector, waits, clears the manifest', async () => {
    env.writeManifest(fixture('v0.98-service.manifest-after-start-php74.yaml'))
    const k = kube()
    k.scope
      .get(`${CORE}/pods`).query(true).reply(k.record(list([runningPod('p')])))
      .get(`${APPS}/deployments`).query(true).reply(k.record(list([deployment()])))
      .delete(`${INGRESSES}/ingresses`).query({labelSelector: WEB_SELECTOR}).reply(k.record({}))
      .delete(`${ROUTES}/httproutes`).query({labelSelector: WEB_SELECTOR}).reply(k.record({kind: 'Status', code: 404, message: 'the server could not find the requested resource'}, 404))
      .get(`${CORE}/services`).query({labelSelector: WEB_SELECTOR}).reply(k.record(list([{metadata: {name: 'mytool'}}])))
      .delete(`${CORE}/services/mytool`).reply(k.record({}))
      .delete(`${APPS}/deployments`).query({labelSelector: WEB_SELECTOR}).reply(k.record({}))
      .delete(`${APPS}/replicasets`).query({labelSelector: 'name=mytool'}).reply(k.record({}))
      .delete(`${CORE}/pods`).query({labelSelector: WEB_SELECTOR}).reply(k.record({}))
      .get(`${CORE}/pods`).query(true).reply(k.record(list([{...runningPod('p'), metadata: {name: 'p', deletionTimestamp: '2026-11-22T08:00:00Z'}}])))
      .get(`${APPS}/deployments`).query(true).reply(k.record(list([])))
    const {stdout, exitCode} = await run(['webservice', 'stop'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Stopping webservice\n')
    expect(k.calls.filter((c) => !c.startsWith('GET'))).to.deep.equal([
      `DELETE ${INGRESSES}/ingresses?labelSelector=${WEB_SELECTOR}`,
      `DELETE ${ROUTES}/httproutes?labelSelector=${WEB_SELECTOR}`,
      `DELETE ${CORE}/services/mytool`,
      `DELETE ${APPS}/deployments?labelSelector=${WEB_SELECTOR}`,
      `DELETE ${APPS}/replicasets?labelSelector=name=mytool`,
      `DELETE ${CORE}/pods?labelSelector=${WEB_SELECTOR}`,
    ])
    expect(env.readManifest()).to.match(/# .+\nversion: 4\n$/)
  })

  it('stop: when nothing runs says so on stdout (exit 0)', async () => {
    nock(K8S).get(`${CORE}/pods`).query(true).reply(200, list([])).get(`${APPS}/deployments`).query(true).reply(200, list([]))
    const {stdout, exitCode} = await run(['webservice', '--backend=kubernetes', 'stop'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Your webservice is not running\n')
  })

  it('restart: replaces the Deployment with a new started-at and waits for a pod carrying it', async () => {
    env.writeManifest(fixture('v0.98-service.manifest-after-start-buildservice.yaml'))
    const k = kube()
    let startedAt = ''
    k.scope
      .get(`${CORE}/pods`).query(true).reply(k.record(list([runningPod('old', {annotations: {'toolforge.org/started-at': 'old'}})])))
      .get(`${APPS}/deployments`).query(true).reply(k.record(list([deployment('tools-harbor.wmcloud.org/tool-mytool/tool-mytool:latest')])))
      .put(`${APPS}/deployments/mytool`).reply(k.record((body: Json) => {
        startedAt = body.spec.template.metadata.annotations['toolforge.org/started-at']
        return body
      }))
      .get(`${CORE}/pods`).query(true).reply(k.record(() => list([runningPod('new', {annotations: {'toolforge.org/started-at': startedAt}})])))
    const {stdout, exitCode} = await run(['webservice', 'restart', '-r', '1', '--mem', '3Gi', '--uid', UID])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Restarting...\nYour webservice is available at https://mytool.toolforge.org\n')
    const dep = k.bodies[0]
    expect(dep.spec.replicas).to.equal(1)
    expect(dep.spec.template.spec.containers[0].image).to.equal('tools-harbor.wmcloud.org/tool-mytool/tool-mytool:latest')
    expect(dep.spec.template.spec.containers[0].resources.limits).to.deep.equal({memory: '3Gi', cpu: '1'})
    // -r 1 shrinks the stored replicas (Q-WS-03) and the new memory is remembered (Q-WS-04).
    const manifest = env.readManifest()
    expect(manifest).not.to.contain('replicas')
    expect(manifest).to.contain('memory: 3Gi')
  })

  it('restart: a restart that does not show up in time is exit 2 (a timeout) with the upstream advice (typo fixed, Q-WS-05)', async () => {
    env.writeManifest(fixture('v0.98-service.manifest-after-start-php74.yaml'))
    nock(K8S)
      .get(`${CORE}/pods`).query(true).twice().reply(200, list([runningPod('old')]))
      .get(`${APPS}/deployments`).query(true).reply(200, list([deployment()]))
      .put(`${APPS}/deployments/mytool`).reply(200, {})
    const {stderr, exitCode} = await run(['webservice', 'restart', '--uid', UID, '--timeout', '0'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain("ERROR: Your webservice is taking quite a while to restart. If it isn't up shortly, run a 'toolforge webservice stop'")
  })

  it('status: reports the deployed type, not the resolved one (Q-WS-09)', async () => {
    env.writeManifest(fixture('v0.98-service.manifest-after-start-php74.yaml'))
    nock(K8S)
      .get(`${CORE}/pods`).query({labelSelector: WEB_SELECTOR}).reply(200, list([runningPod('p')]))
      .get(`${APPS}/deployments`).query({labelSelector: WEB_SELECTOR}).reply(200, list([deployment('docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web:latest')]))
    const {stdout, exitCode} = await run(['webservice', 'status'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Your webservice of type python3.11 is running on backend kubernetes\nPublic URL: https://mytool.toolforge.org\n')
  })

  it('status --json: tells pending from running', async () => {
    env.writeManifest(fixture('v0.98-service.manifest-after-start-php74.yaml'))
    nock(K8S)
      .get(`${CORE}/pods`).query(true).reply(200, list([runningPod('p', {phase: 'Pending'})]))
      .get(`${APPS}/deployments`).query(true).reply(200, list([deployment()]))
    const {stdout, exitCode} = await run(['webservice', 'status', '--json'])
    expect(exitCode).to.equal(0)
    expect(JSON.parse(stdout)).to.deep.equal({action: 'status', backend: 'kubernetes', state: 'pending', type: 'php7.4', url: 'https://mytool.toolforge.org'})
  })

  it('logs: reads each webservice pod log with timestamps and prints upstream lines', async () => {
    env.writeManifest(fixture('v0.98-service.manifest-after-start-php74.yaml'))
    nock(K8S)
      .get(`${CORE}/pods`).query({labelSelector: WEB_SELECTOR}).reply(200, list([runningPod('mytool-a'), runningPod('shell-1', {container: 'other'}), runningPod('mytool-b')]))
      .get(`${CORE}/pods/mytool-a/log`).query({container: 'webservice', follow: 'false', pretty: 'true', timestamps: 'true', tailLines: '2'})
      .reply(200, '2023-05-10T12:00:01.123456789Z first line\n2023-05-10T12:00:02Z second line\n')
      .get(`${CORE}/pods/mytool-b/log`).query({container: 'webservice', follow: 'false', pretty: 'true', timestamps: 'true', tailLines: '2'})
      .reply(200, '2023-05-10T12:00:03.5Z third\n')
    const {stdout, exitCode} = await run(['webservice', 'logs', '-l', '2'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(
      '2023-05-10T12:00:01+00:00 [mytool-a] first line\n2023-05-10T12:00:02+00:00 [mytool-a] second line\n2023-05-10T12:00:03+00:00 [mytool-b] third\n',
    )
  })

  it('logs: says "No logs found!" on stderr when there are none', async () => {
    nock(K8S).get(`${CORE}/pods`).query(true).reply(200, list([]))
    const {stdout, stderr, exitCode} = await run(['webservice', '--backend=kubernetes', 'logs'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
    expect(stderr).to.contain('No logs found!')
  })
})
