import {expect} from 'chai'

import {buildJobObjects} from '../../src/kube/jobs.js'
import {
  checkManifests,
  checkPolicy,
  formatViolation,
  KYVERNO_RULE_NAME,
  PolicyInputError,
  RULES,
  type Violation,
} from '../../src/kube/policy.js'
import {containerSecurityContext, podSecurityContext} from '../../src/kube/security-context.js'
import {clone, fixtureYaml} from './fixtures.js'

const UID = 50001
const opts = {uid: UID, tool: 'tf-test'}

function compliantPod(): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: 'p'},
    spec: {
      securityContext: podSecurityContext(UID),
      containers: [{name: 'c', image: 'x', securityContext: containerSecurityContext(UID)}],
    },
  }
}

function paths(violations: Violation[]): string[] {
  return violations.map((v) => v.path)
}

describe('kube/policy', () => {
  describe('the upstream functional-test pod (pod-policy-runAsNonRoot.yaml)', () => {
    const pod = fixtureYaml('upstream/pod-policy-runAsNonRoot.yaml')

    it('fails at /spec/securityContext/runAsNonRoot/ with Kyverno’s rule name', () => {
      const violations = checkPolicy(pod, opts)
      expect(violations[0]).to.deep.equal({
        rule: RULES.runAsNonRoot,
        path: '/spec/securityContext/runAsNonRoot/',
        message: 'runAsNonRoot must be set to true',
        kind: 'Pod',
        name: 'functional-tests-pod-policy-runasnonroot',
      })
      expect(formatViolation(violations[0])).to.equal(
        `validation error: runAsNonRoot must be set to true. rule ${KYVERNO_RULE_NAME} failed at path /spec/securityContext/runAsNonRoot/`,
      )
      expect(formatViolation(violations[0])).to.contain('rule toolforge-validate-pod-policy failed at path /spec/securityContext/runAsNonRoot/')
    })

    it('reports every missing explicit field too', () => {
      expect(paths(checkPolicy(pod, opts))).to.deep.equal([
        '/spec/securityContext/runAsNonRoot/',
        '/spec/securityContext/runAsUser/',
        '/spec/securityContext/runAsGroup/',
        '/spec/securityContext/fsGroup/',
        '/spec/securityContext/seccompProfile/type/',
        '/spec/containers/0/securityContext/allowPrivilegeEscalation/',
        '/spec/containers/0/securityContext/capabilities/drop/',
      ])
    })

    it('reports only runAsNonRoot when judging like admission (absent fields would be added)', () => {
      expect(paths(checkPolicy(pod, {...opts, requireExplicit: false}))).to.deep.equal(['/spec/securityContext/runAsNonRoot/'])
    })
  })

  it('passes the explicit securityContext and objects without pods', () => {
    expect(checkPolicy(compliantPod(), opts)).to.deep.equal([])
    for (const obj of buildJobObjects({name: 'a', cmd: 'x', imagename: 'python3.11', job_type: 'continuous', port: 80, publish: '/'}, {tool: 'tf-test', uid: UID})) {
      expect(checkPolicy(obj, opts), obj.kind).to.deep.equal([])
    }
    for (const kind of ['Service', 'Ingress', 'HTTPRoute', 'ConfigMap', 'ContinuousJob', 'Secret']) {
      expect(checkPolicy({apiVersion: 'v1', kind, metadata: {name: 'x'}, spec: {}}, opts)).to.deep.equal([])
    }
    expect(checkPolicy({metadata: {name: 'no-kind'}, data: {}}, opts)).to.deep.equal([])
  })

  it('uses paths relative to each workload kind', () => {
    const podSpec = compliantPod().spec
    podSpec.securityContext.runAsNonRoot = false
    const wrap: Array<[string, unknown, string]> = [
      ['Deployment', {spec: {template: {spec: podSpec}}}, '/spec/template/spec/'],
      ['ReplicaSet', {spec: {template: {spec: podSpec}}}, '/spec/template/spec/'],
      ['StatefulSet', {spec: {template: {spec: podSpec}}}, '/spec/template/spec/'],
      ['DaemonSet', {spec: {template: {spec: podSpec}}}, '/spec/template/spec/'],
      ['Job', {spec: {template: {spec: podSpec}}}, '/spec/template/spec/'],
      ['CronJob', {spec: {jobTemplate: {spec: {template: {spec: podSpec}}}}}, '/spec/jobTemplate/spec/template/spec/'],
      ['PodTemplate', {template: {spec: podSpec}}, '/template/spec/'],
    ]
    for (const [kind, body, prefix] of wrap) {
      const violations = checkPolicy({kind, metadata: {name: 'w'}, ...(body as object)}, opts)
      expect(paths(violations), kind).to.deep.equal([`${prefix}securityContext/runAsNonRoot/`])
      expect(violations[0]).to.include({kind, name: 'w'})
    }
  })

  it('checks init and ephemeral containers', () => {
    const pod = compliantPod()
    pod.spec.initContainers = [{name: 'init', image: 'x', securityContext: {...containerSecurityContext(UID), privileged: true}}]
    pod.spec.ephemeralContainers = [{name: 'debug', image: 'x', securityContext: {...containerSecurityContext(UID), runAsUser: 0}}]
    expect(paths(checkPolicy(pod, opts))).to.deep.equal([
      '/spec/initContainers/0/securityContext/privileged/',
      '/spec/ephemeralContainers/0/securityContext/runAsUser/',
    ])
  })

  it('hints at the Go constant name for procMount DefaultProcMount', () => {
    const pod = compliantPod()
    pod.spec.containers[0].securityContext.procMount = 'DefaultProcMount'
    const [v] = checkPolicy(pod, opts)
    expect(v.path).to.equal('/spec/containers/0/securityContext/procMount/')
    expect(v.message).to.contain('"DefaultProcMount" is the name of the Go constant; its API value is "Default"')
    pod.spec.containers[0].securityContext.procMount = 'Default'
    expect(checkPolicy(pod, opts)).to.deep.equal([])
  })

  it('allows hostPaths under the allowed prefixes with the right readOnly flag', () => {
    const pod = compliantPod()
    pod.spec.volumes = [
      {name: 'home', hostPath: {path: '/data/project', type: 'Directory'}},
      {name: 'dumps', hostPath: {path: '/public/dumps/', type: 'Directory'}},
      {name: 'clouds', hostPath: {path: '/etc/openstack/clouds.yaml', type: 'File'}},
      {name: 'bad', hostPath: {path: '/data/projects'}},
      {name: 'up', hostPath: {path: '/data/project/../../etc'}},
      {name: 'cfg', configMap: {name: 'x'}},
      {name: 'nfs', nfs: {server: 's', path: '/'}},
    ]
    pod.spec.containers[0].volumeMounts = [
      {name: 'home', mountPath: '/data/project'},
      {name: 'dumps', mountPath: '/public/dumps', readOnly: true},
      {name: 'clouds', mountPath: '/etc/openstack/clouds.yaml'},
    ]
    const violations = checkPolicy(pod, opts)
    expect(violations.map((v) => [v.rule, v.path])).to.deep.equal([
      [RULES.hostPath, '/spec/volumes/3/hostPath/path/'],
      [RULES.hostPath, '/spec/volumes/4/hostPath/path/'],
      [RULES.volumeType, '/spec/volumes/6/nfs/'],
      [RULES.hostPathReadOnly, '/spec/containers/0/volumeMounts/2/readOnly/'],
    ])
    expect(violations[1].message).to.equal("hostPath /data/project/../../etc must not contain '..'")
    expect(violations[3].message).to.equal('volume clouds (hostPath /etc/openstack/clouds.yaml) must be mounted read-only')
  })

  describe('with an unknown uid', () => {
    it('requires a positive pod runAsUser and makes it the reference for the other ids', () => {
      expect(checkPolicy(compliantPod(), {})).to.deep.equal([])
      const pod = compliantPod()
      pod.spec.securityContext.runAsGroup = UID + 1
      pod.spec.containers[0].securityContext.runAsUser = 1000
      const violations = checkPolicy(pod, {})
      expect(violations.map((v) => [v.path, v.message])).to.deep.equal([
        ['/spec/securityContext/runAsGroup/', `runAsGroup must be ${UID} (the pod runAsUser)`],
        ['/spec/containers/0/securityContext/runAsUser/', `runAsUser must be ${UID} (the pod runAsUser)`],
      ])
    })

    it('rejects root and a missing runAsUser', () => {
      const root = compliantPod()
      root.spec.securityContext = {...root.spec.securityContext, runAsUser: 0, runAsGroup: 0, fsGroup: 0}
      root.spec.containers[0].securityContext = {...root.spec.containers[0].securityContext, runAsUser: 0, runAsGroup: 0}
      const messages = checkPolicy(root, {}).map((v) => v.message)
      expect(messages).to.have.length(5)
      expect(messages[0]).to.equal("runAsUser must be set to the tool's id (an integer >= 1)")
      const missing = compliantPod()
      delete missing.spec.securityContext.runAsUser
      expect(paths(checkPolicy(missing, {}))).to.deep.equal(['/spec/securityContext/runAsUser/'])
    })
  })

  describe('bad input', () => {
    it('throws PolicyInputError for non-objects, unknown kinds with pods and workloads without containers', () => {
      for (const bad of [null, 42, 'Pod', [compliantPod()]]) {
        expect(() => checkPolicy(bad, opts)).to.throw(PolicyInputError, 'manifest is not an object')
      }
      expect(() => checkPolicy({kind: 'Rollout', metadata: {name: 'r'}, spec: {template: {spec: {containers: []}}}}, opts)).to.throw(
        PolicyInputError,
        'unknown kind Rollout "r" contains a pod spec; cannot check it',
      )
      expect(() => checkPolicy({metadata: {name: 'n'}, spec: {containers: [{name: 'c'}]}}, opts)).to.throw(
        PolicyInputError,
        'object "n" has no kind but contains a pod spec',
      )
      expect(() => checkPolicy({kind: 'Deployment', metadata: {name: 'd'}, spec: {template: {spec: {}}}}, opts)).to.throw(
        PolicyInputError,
        'Deployment "d" has no containers at /spec/template/spec/containers/',
      )
      expect(() => checkPolicy({kind: 'CronJob', spec: {}}, opts)).to.throw(PolicyInputError, 'CronJob has no containers at /spec/jobTemplate/spec/template/spec/containers/')
      expect(() => checkPolicy({kind: 'Pod', spec: {containers: []}}, opts)).to.throw(PolicyInputError)
    })

    it('checkManifests reports per object, flattens Lists and turns input errors into results', () => {
      const bad = compliantPod()
      bad.spec.hostNetwork = true
      const results = checkManifests([compliantPod(), 'nope', {kind: 'List', items: [bad, {kind: 'Service', metadata: {name: 's'}}]}, {kind: 'Job', metadata: {name: 'j'}, spec: {}}], opts)
      expect(results.map((r) => ({index: r.index, item: r.item, kind: r.kind, violations: r.violations.length, error: r.error}))).to.deep.equal([
        {index: 0, item: undefined, kind: 'Pod', violations: 0, error: undefined},
        {index: 1, item: undefined, kind: undefined, violations: 0, error: 'manifest #2: manifest is not an object'},
        {index: 2, item: 0, kind: 'Pod', violations: 1, error: undefined},
        {index: 2, item: 1, kind: 'Service', violations: 0, error: undefined},
        {index: 3, item: undefined, kind: 'Job', violations: 0, error: 'manifest #4: Job "j" has no containers at /spec/template/spec/containers/'},
      ])
      expect(results[2].violations[0].path).to.equal('/spec/hostNetwork/')
    })
  })

  it('reads an explicit null as an absent field, as the API server does; a hostPort of 0 is no host port', () => {
    const pod = compliantPod()
    Object.assign(pod.spec, {hostNetwork: null, hostPID: null, hostIPC: null})
    Object.assign(pod.spec.containers[0].securityContext, {privileged: null, procMount: null})
    pod.spec.containers[0].ports = [{containerPort: 8000, hostPort: 0}, {containerPort: 8001, hostPort: null}]
    expect(checkPolicy(pod, opts)).to.deep.equal([])
  })

  it('does not modify its input', () => {
    const pod = compliantPod()
    pod.spec.securityContext.runAsNonRoot = false
    const before = clone(pod)
    checkPolicy(pod, opts)
    expect(pod).to.deep.equal(before)
  })
})
