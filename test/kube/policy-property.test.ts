import {expect} from 'chai'
import fc from 'fast-check'

import {checkPolicy, RULES, type Violation} from '../../src/kube/policy.js'
import {ALLOWED_HOST_PATHS, matchHostPath, MESSAGES} from '../../src/kube/policy-rules.js'
import {containerSecurityContext, podSecurityContext} from '../../src/kube/security-context.js'
import type {WorkloadObject} from '../../src/kube/types.js'
import {builtJobArb, builtWebserviceArb, isWorkload, workloadArb} from './arbitraries.js'

const RUNS = {numRuns: 300}

function podSpecOf(obj: WorkloadObject): {spec: any; prefix: string} {
  if (obj.kind === 'Pod') return {spec: obj.spec, prefix: '/spec/'}
  if (obj.kind === 'CronJob') return {spec: obj.spec.jobTemplate.spec!.template.spec, prefix: '/spec/jobTemplate/spec/template/spec/'}
  return {spec: obj.spec.template.spec, prefix: '/spec/template/spec/'}
}

describe('kube/policy properties', () => {
  it('every generated job object passes, with and without a known uid', () => {
    fc.assert(
      fc.property(builtJobArb, ({objects, tool, uid}) => {
        for (const obj of objects) {
          expect(checkPolicy(obj, {uid, tool}), obj.kind).to.deep.equal([])
          expect(checkPolicy(obj, {}), obj.kind).to.deep.equal([])
          if (!isWorkload(obj)) continue
          const {spec} = podSpecOf(obj)
          expect(spec.securityContext).to.deep.equal(podSecurityContext(uid))
          for (const c of spec.containers) expect(c.securityContext).to.deep.equal(containerSecurityContext(uid))
        }
      }),
      RUNS,
    )
  })

  it('every generated webservice object and shell pod passes', () => {
    fc.assert(
      fc.property(builtWebserviceArb, ({objects, tool, uid}) => {
        for (const obj of objects) expect(checkPolicy(obj, {uid, tool}), obj.kind).to.deep.equal([])
      }),
      RUNS,
    )
  })

  describe('each rule catches its own mutation, at its path, with its message', () => {
    interface Ctx {
      spec: any
      uid: number
      tool: string
    }
    type Mutation = (ctx: Ctx) => {path: string; message: string}
    const idWho = (tool: string) => `the uid of tool ${tool}`
    const badFlag = fc.constantFrom(true, 'true', 1, 'yes')
    const c0 = (ctx: Ctx) => {
      const c = ctx.spec.containers[0]
      c.securityContext ??= {}
      return c.securityContext
    }

    const mutations: Record<string, fc.Arbitrary<Mutation>> = {
      [RULES.runAsNonRoot]: fc.tuple(fc.constantFrom(false, null, 'true', 0), fc.boolean()).map(([v, inContainer]) => (ctx: Ctx) => {
        if (inContainer) {
          c0(ctx).runAsNonRoot = v
          return {path: 'containers/0/securityContext/runAsNonRoot/', message: MESSAGES.runAsNonRoot}
        }
        ctx.spec.securityContext.runAsNonRoot = v
        return {path: 'securityContext/runAsNonRoot/', message: MESSAGES.runAsNonRoot}
      }),
      [RULES.runAsUser]: fc.tuple(fc.boolean(), fc.boolean()).map(([root, inContainer]) => (ctx: Ctx) => {
        const value = root ? 0 : ctx.uid + 1
        const message = MESSAGES.idEquals('runAsUser', ctx.uid, idWho(ctx.tool))
        if (inContainer) {
          c0(ctx).runAsUser = value
          return {path: 'containers/0/securityContext/runAsUser/', message}
        }
        ctx.spec.securityContext.runAsUser = value
        return {path: 'securityContext/runAsUser/', message}
      }),
      [RULES.runAsGroup]: fc.boolean().map((inContainer) => (ctx: Ctx) => {
        const message = MESSAGES.idEquals('runAsGroup', ctx.uid, idWho(ctx.tool))
        if (inContainer) {
          c0(ctx).runAsGroup = 0
          return {path: 'containers/0/securityContext/runAsGroup/', message}
        }
        delete ctx.spec.securityContext.runAsGroup
        return {path: 'securityContext/runAsGroup/', message}
      }),
      [RULES.fsGroup]: fc.integer({min: 0, max: 100}).map((n) => (ctx: Ctx) => {
        ctx.spec.securityContext.fsGroup = ctx.uid === n ? n + 1 : n
        return {path: 'securityContext/fsGroup/', message: MESSAGES.idEquals('fsGroup', ctx.uid, idWho(ctx.tool))}
      }),
      [RULES.supplementalGroups]: fc
        .tuple(fc.array(fc.integer({min: 1, max: 65535}), {maxLength: 3}), fc.constantFrom(0, -1, 65536, 2 ** 31 - 1, 1.5, 'x'))
        .map(([good, bad]) => (ctx: Ctx) => {
          ctx.spec.securityContext.supplementalGroups = [...good, bad]
          return {path: `securityContext/supplementalGroups/${good.length}/`, message: MESSAGES.supplementalGroups}
        }),
      [RULES.seccompProfile]: fc.tuple(fc.constantFrom('Unconfined', 'Localhost', 'runtime/default', '', undefined), fc.boolean()).map(
        ([type, inContainer]) =>
          (ctx: Ctx) => {
            if (inContainer) {
              c0(ctx).seccompProfile = {type: type ?? 'Unconfined'}
              return {path: 'containers/0/securityContext/seccompProfile/type/', message: MESSAGES.seccompProfile}
            }
            if (type === undefined) delete ctx.spec.securityContext.seccompProfile
            else ctx.spec.securityContext.seccompProfile = {type}
            return {path: 'securityContext/seccompProfile/type/', message: MESSAGES.seccompProfile}
          },
      ),
      [RULES.hostNetwork]: badFlag.map((v) => (ctx: Ctx) => {
        ctx.spec.hostNetwork = v
        return {path: 'hostNetwork/', message: MESSAGES.hostNetwork}
      }),
      [RULES.hostPID]: badFlag.map((v) => (ctx: Ctx) => {
        ctx.spec.hostPID = v
        return {path: 'hostPID/', message: MESSAGES.hostPID}
      }),
      [RULES.hostIPC]: badFlag.map((v) => (ctx: Ctx) => {
        ctx.spec.hostIPC = v
        return {path: 'hostIPC/', message: MESSAGES.hostIPC}
      }),
      [RULES.hostPort]: fc.integer({min: 1, max: 65535}).map((hostPort) => (ctx: Ctx) => {
        ctx.spec.containers[0].ports = [{containerPort: 8000}, {containerPort: 8080, hostPort}]
        return {path: 'containers/0/ports/1/hostPort/', message: MESSAGES.hostPort}
      }),
      [RULES.volumeType]: fc
        .constantFrom('nfs', 'iscsi', 'cephfs', 'gitRepo', 'csi', 'ephemeral', 'rbd', 'flexVolume', 'glusterfs', 'image')
        .map((type) => (ctx: Ctx) => {
          ctx.spec.volumes = [{name: 'v', [type]: {}}]
          return {path: `volumes/0/${type}/`, message: MESSAGES.volumeType(type)}
        }),
      [RULES.hostPath]: fc
        .oneof(
          fc.constantFrom('/', '/etc', '/var/run/docker.sock', '/data', '/data/projects', '/mnt', '/etc/ldap.yaml.bak', '/root'),
          fc.stringMatching(/^(\/[a-z]{1,6}){1,3}$/),
        )
        .filter((p) => matchHostPath(p) === undefined)
        .map((path) => (ctx: Ctx) => {
          ctx.spec.volumes = [{name: 'h', hostPath: {path}}]
          return {path: 'volumes/0/hostPath/path/', message: MESSAGES.hostPath(path)}
        }),
      [RULES.hostPathReadOnly]: fc
        .tuple(fc.constantFrom(...ALLOWED_HOST_PATHS.filter((p) => p.readOnly).map((p) => p.prefix)), fc.constantFrom('', '/sub'), fc.constantFrom(false, undefined))
        .map(([prefix, sub, readOnly]) => (ctx: Ctx) => {
          const path = prefix + sub
          ctx.spec.volumes = [{name: 'ro', hostPath: {path}}]
          ctx.spec.containers[0].volumeMounts = [{name: 'ro', mountPath: '/x', ...(readOnly === undefined ? {} : {readOnly})}]
          return {path: 'containers/0/volumeMounts/0/readOnly/', message: MESSAGES.hostPathReadOnly('ro', path)}
        }),
      [RULES.privileged]: badFlag.map((v) => (ctx: Ctx) => {
        c0(ctx).privileged = v
        return {path: 'containers/0/securityContext/privileged/', message: MESSAGES.privileged}
      }),
      [RULES.allowPrivilegeEscalation]: fc.constantFrom(true, undefined, 'false').map((v) => (ctx: Ctx) => {
        if (v === undefined) delete c0(ctx).allowPrivilegeEscalation
        else c0(ctx).allowPrivilegeEscalation = v
        return {path: 'containers/0/securityContext/allowPrivilegeEscalation/', message: MESSAGES.allowPrivilegeEscalation}
      }),
      [RULES.capabilitiesDrop]: fc.constantFrom([], ['NET_RAW'], ['all'], 'ALL', undefined).map((drop) => (ctx: Ctx) => {
        const sc = c0(ctx)
        if (drop === undefined) delete sc.capabilities
        else sc.capabilities = {drop}
        return {path: 'containers/0/securityContext/capabilities/drop/', message: MESSAGES.capabilitiesDrop}
      }),
      [RULES.capabilitiesAdd]: fc.array(fc.constantFrom('NET_ADMIN', 'SYS_ADMIN', 'NET_BIND_SERVICE'), {minLength: 1, maxLength: 3}).map((add) => (ctx: Ctx) => {
        c0(ctx).capabilities = {drop: ['ALL'], add}
        return {path: 'containers/0/securityContext/capabilities/add/', message: MESSAGES.capabilitiesAdd}
      }),
      [RULES.procMount]: fc.constantFrom('DefaultProcMount', 'Unmasked', 'default', '').map((v) => (ctx: Ctx) => {
        c0(ctx).procMount = v
        return {path: 'containers/0/securityContext/procMount/', message: v === 'DefaultProcMount' ? MESSAGES.procMountGoName : MESSAGES.procMount}
      }),
    }

    it('covers every rule', () => {
      expect(Object.keys(mutations).sort()).to.deep.equal(Object.values(RULES).sort())
    })

    for (const [rule, mutationArb] of Object.entries(mutations)) {
      it(rule, () => {
        fc.assert(
          fc.property(workloadArb, mutationArb, ({object, uid, tool}, mutate) => {
            const {spec, prefix} = podSpecOf(object)
            const expected = mutate({spec, uid, tool})
            const violations: Violation[] = checkPolicy(object, {uid, tool})
            expect(violations).to.deep.equal([
              {rule, path: prefix + expected.path, message: expected.message, kind: object.kind, name: object.metadata.name},
            ])
          }),
          {numRuns: 100},
        )
      })
    }
  })
})
