import {expect} from 'chai'

import {containerSecurityContext, podSecurityContext} from '../../src/kube/security-context.js'
import type {DeploymentObject, HTTPRouteObject, KubeObject, PodObject} from '../../src/kube/types.js'
import {
  buildShellPod,
  buildWebserviceObjects,
  pythonUtcIsoformat,
  webserviceResources,
  webserviceSpec,
  type WebserviceSpec,
} from '../../src/kube/webservice.js'
import {clone, fixtureJson} from './fixtures.js'

const UID = 52503
const NOW = new Date('2026-11-22T07:59:06.690Z')

function spec(type: string, opts = {}): WebserviceSpec {
  const s = webserviceSpec(type, 'mytool', opts)
  if (!s) throw new Error(`unknown type ${type}`)
  return s
}

/** Our object minus the securityContext we add and with the example's start timestamp, for comparison. */
function asV098(obj: KubeObject, example: any): unknown {
  const copy: any = clone(obj)
  const podSpec = copy.kind === 'Pod' ? copy.spec : copy.spec.template.spec
  expect(podSpec.securityContext).to.deep.equal(podSecurityContext(UID))
  delete podSpec.securityContext
  for (const c of podSpec.containers) {
    expect(c.securityContext).to.deep.equal(containerSecurityContext(UID))
    delete c.securityContext
  }
  if (copy.kind === 'Deployment') {
    const annotations = copy.spec.template.metadata.annotations
    expect(annotations['toolforge.org/started-at']).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/)
    annotations['toolforge.org/started-at'] = example.spec.template.metadata.annotations['toolforge.org/started-at']
  }
  return copy
}

describe('kube/webservice agrees with webservice 0.98 plus the explicit securityContext', () => {
  const service = fixtureJson('upstream/v0.98-service.json')
  const ingress = fixtureJson('upstream/v0.98-ingress.json')
  const cases: Array<[string, WebserviceSpec, string]> = [
    ['php7.4 start', spec('php7.4'), 'v0.98-php74-deployment.json'],
    ['jdk17 start', spec('jdk17'), 'v0.98-jdk17-deployment.json'],
    ['buildservice start --mem 2Gi --cpu 1 -r 2', spec('buildservice', {mem: '2Gi', cpu: '1', replicas: 2}), 'v0.98-buildservice-mem2Gi-cpu1-r2-deployment.json'],
  ]
  for (const [name, s, file] of cases) {
    it(name, () => {
      const example = fixtureJson(`upstream/${file}`)
      const [deployment, svc, route] = buildWebserviceObjects(s, {uid: UID, now: NOW, routing: 'ingress'})
      expect(asV098(deployment, example)).to.deep.equal(example)
      expect(svc).to.deep.equal(service)
      expect(route).to.deep.equal(ingress)
    })
  }

  it('shell pod (python3.11 shell -- echo hi)', () => {
    const example = fixtureJson('upstream/v0.98-shell-python311-pod-overrides.json')
    const pod = buildShellPod(spec('python3.11', {extraArgs: ['echo', 'hi']}), {uid: UID, now: new Date(1795334540 * 1000 + 999)})
    // v0.98 serialises an unset ports list as null (Q-K8S-10); we leave the key out.
    delete example.spec.containers[0].ports
    expect(asV098(pod, example)).to.deep.equal(example)
  })
})

describe('kube/webservice', () => {
  it('routes through the Gateway by default', () => {
    const objects = buildWebserviceObjects(spec('php7.4', {publicDomain: 'beta.toolforge.org'}), {uid: UID, now: NOW})
    expect(objects.map((o) => o.kind)).to.deep.equal(['Deployment', 'Service', 'HTTPRoute'])
    const route = objects[2] as HTTPRouteObject
    expect(route.metadata).to.deep.equal({
      name: 'mytool-subdomain',
      namespace: 'tool-mytool',
      labels: {'app.kubernetes.io/component': 'web', 'app.kubernetes.io/managed-by': 'webservice', toolforge: 'tool', name: 'mytool'},
    })
    expect(route.spec).to.deep.equal({
      parentRefs: [{namespace: 'istio-gateway', name: 'toolforge'}],
      hostnames: ['mytool.beta.toolforge.org'],
      rules: [{backendRefs: [{name: 'mytool', port: 8000}]}],
    })
  })

  it('maps image-config wstypes to runner types and appends extra args', () => {
    const command = (type: string, extraArgs?: string[]) => {
      const [d] = buildWebserviceObjects(spec(type, {extraArgs}), {uid: UID}) as [DeploymentObject]
      return d.spec.template.spec!.containers[0].command
    }
    expect(command('python3.11')).to.deep.equal(['/usr/bin/webservice-runner', '--type', 'uwsgi-python', '--port', '8000'])
    expect(command('node16')).to.deep.equal(['/usr/bin/webservice-runner', '--type', 'nodejs', '--port', '8000'])
    expect(command('tcl8.6')).to.deep.equal(['/usr/bin/webservice-runner', '--type', 'lighttpd-plain', '--port', '8000'])
    expect(command('jdk17', ['java', '-jar', 'app.jar'])).to.deep.equal(['/usr/bin/webservice-runner', '--type', 'generic', '--port', '8000', 'java', '-jar', 'app.jar'])
    expect(command('buildservice')).to.equal(undefined)
    expect(command('buildservice', ['web'])).to.deep.equal(['web'])
  })

  it('derives requests from limits like v0.98', () => {
    const res = (mem?: string, cpu?: string) => webserviceResources(spec('php7.4', {mem, cpu}))
    expect(res()).to.deep.equal({limits: {memory: '512Mi', cpu: '0.5'}, requests: {memory: '256Mi', cpu: '0.125'}})
    expect(res(undefined, '1')).to.deep.equal({limits: {memory: '512Mi', cpu: '1'}, requests: {memory: '256Mi', cpu: '0.5'}})
    expect(res('1Gi', '250m')).to.deep.equal({limits: {memory: '1Gi', cpu: '250m'}, requests: {memory: '536870912', cpu: '0.125'}})
    expect(res('100Mi', '100m')).to.deep.equal({limits: {memory: '100Mi', cpu: '100m'}, requests: {memory: '100Mi', cpu: '100m'}})
    expect(res('512Mi', '500m').requests).to.deep.equal({memory: '268435456', cpu: '0.250'})
  })

  it('adds probes for a health-check path and the mount label when asked', () => {
    const [d] = buildWebserviceObjects(spec('php7.4', {healthCheckPath: '/healthz', mount: 'none'}), {uid: UID}) as [DeploymentObject]
    const c = d.spec.template.spec!.containers[0]
    expect(c.startupProbe).to.deep.equal({initialDelaySeconds: 0, periodSeconds: 1, failureThreshold: 120, timeoutSeconds: 5, httpGet: {path: '/healthz', port: 8000}})
    expect(c.livenessProbe).to.deep.include({periodSeconds: 10, failureThreshold: 3})
    expect(d.spec.template.metadata!.labels).to.include({'toolforge.org/mount-storage': 'none'})
    expect(d.spec.selector.matchLabels).to.not.have.property('toolforge.org/mount-storage')
  })

  it('builds buildservice shells without a working directory and defaults to bash', () => {
    const pod: PodObject = buildShellPod(spec('buildservice'), {uid: UID, now: NOW})
    const c = pod.spec.containers[0]
    expect(pod.metadata.name).to.equal('shell-1795334346')
    expect(c.command).to.deep.equal(['/bin/bash', '-il'])
    expect(c).to.not.have.property('workingDir')
    expect(c.env).to.deep.equal([{name: 'NO_HOME', value: 'a buildservice pod does not need a home env'}])
    expect(c.image).to.equal('tools-harbor.wmcloud.org/tool-mytool/tool-mytool:latest')
  })

  it('formats the start time like datetime.utcnow().isoformat()', () => {
    expect(pythonUtcIsoformat(new Date('2026-11-22T07:59:06.690Z'))).to.equal('2026-11-22T07:59:06.690000')
    expect(pythonUtcIsoformat(new Date('2026-11-22T07:59:06.000Z'))).to.equal('2026-11-22T07:59:06')
  })

  it('knows no unknown types', () => {
    expect(webserviceSpec('bookworm', 'mytool')).to.equal(undefined)
    expect(webserviceSpec('php5.6', 'mytool')).to.equal(undefined)
  })
})
