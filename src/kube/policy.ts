// The Toolforge per-tool pod policy as a pure check over manifests (pod-security.md §4.3, rules in
// policy-rules.ts). Works on bare Pods and on the pod templates of the workload kinds; reports every
// violation with a Kyverno-style JSON path relative to the object (`/spec/template/spec/...`, trailing
// slash). It runs on large manifest sets, so the compliant path only reads properties: no regexes, no
// cloning, and paths/messages are built only for violations.
//
// `requireExplicit` (default true) demands the fields the Kyverno policy would otherwise add when absent
// (pod runAsUser/runAsGroup/fsGroup/runAsNonRoot/seccompProfile, container allowPrivilegeEscalation and
// capabilities.drop): generated objects must carry them (§1). With false, only values that are present
// are judged, which is what admission does after its mutations.
//
// Unknown uid: the pod runAsUser must then be an integer >= 1, and it stands in for the tool uid — the
// pod runAsGroup/fsGroup and any container runAsUser/runAsGroup must equal it (tool gid = uid, §1).

import {
  ALLOWED_VOLUME_TYPES,
  hasDotDot,
  KYVERNO_RULE_NAME,
  matchHostPath,
  MESSAGES,
  type RuleId,
  RULES,
} from './policy-rules.js'

export {KYVERNO_POLICY_NAME, KYVERNO_RULE_NAME, RULES} from './policy-rules.js'
export type {RuleId} from './policy-rules.js'

export interface Violation {
  rule: string
  path: string
  message: string
  kind?: string
  name?: string
}

export interface PolicyOptions {
  tool?: string
  uid?: number
  requireExplicit?: boolean
}

/** The input cannot be judged: not an object, an unknown kind that carries pods, or a workload without containers. */
export class PolicyInputError extends Error {}

type Obj = Record<string, unknown>

/** The API server reads an explicit null as an absent field, and so must the check. */
function isUnset(value: unknown): value is undefined | null {
  return value === undefined || value === null
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

// Where each kind keeps its pod spec, and the matching path prefix.
const POD_SPEC_LOCATIONS = new Map<string, {keys: readonly string[]; prefix: string}>()
for (const [kinds, keys] of [
  [['Pod'], ['spec']],
  [['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController'], ['spec', 'template', 'spec']],
  [['CronJob'], ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
  [['PodTemplate'], ['template', 'spec']],
] as const) {
  for (const kind of kinds) POD_SPEC_LOCATIONS.set(kind, {keys, prefix: `/${keys.join('/')}/`})
}
const POD_SPEC_SHAPES = [...new Set([...POD_SPEC_LOCATIONS.values()].map((l) => l.keys))]

function dig(obj: Obj, keys: readonly string[]): unknown {
  let cur: unknown = obj
  for (const key of keys) {
    if (!isObj(cur)) return undefined
    cur = cur[key]
  }
  return cur
}

function hasPodShape(obj: Obj): boolean {
  return POD_SPEC_SHAPES.some((keys) => Array.isArray((dig(obj, keys) as Obj | undefined)?.containers))
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1
}

const CONTAINER_FIELDS = ['containers', 'initContainers', 'ephemeralContainers'] as const

class Checker {
  readonly out: Violation[] = []
  private readonly strict: boolean
  /** The id pod and container ids must equal, and how to describe it; undefined while unknown. */
  private expected: number | undefined
  private expectedWho = ''
  private roVolumes: Map<string, string> | undefined

  constructor(
    private readonly opts: PolicyOptions,
    private readonly kind: string,
    private readonly name: string | undefined,
  ) {
    this.strict = opts.requireExplicit !== false
    if (opts.uid !== undefined) {
      this.expected = opts.uid
      this.expectedWho = opts.tool ? `the uid of tool ${opts.tool}` : 'the tool uid'
    }
  }

  private add(rule: RuleId, path: string, message: string): void {
    const v: Violation = {rule, path, message, kind: this.kind}
    if (this.name !== undefined) v.name = this.name
    this.out.push(v)
  }

  /** A uid/gid field: equal to the expected id, or a positive integer while the id is unknown. */
  private id(rule: RuleId, field: string, value: unknown, path: string, required: boolean): void {
    if (value === undefined) {
      if (required) this.add(rule, path, this.idMessage(field))
    } else if (this.expected === undefined ? !isPositiveInt(value) : value !== this.expected) {
      this.add(rule, path, this.idMessage(field))
    }
  }

  private idMessage(field: string): string {
    return this.expected === undefined ? MESSAGES.idPositive(field) : MESSAGES.idEquals(field, this.expected, this.expectedWho)
  }

  pod(ps: Obj, p: string): void {
    const sc = isObj(ps.securityContext) ? ps.securityContext : undefined
    const scp = `${p}securityContext/`
    const strict = this.strict

    const nonRoot = sc?.runAsNonRoot
    if (nonRoot === undefined ? strict : nonRoot !== true) this.add(RULES.runAsNonRoot, `${scp}runAsNonRoot/`, MESSAGES.runAsNonRoot)

    const runAsUser = sc?.runAsUser
    this.id(RULES.runAsUser, 'runAsUser', runAsUser, `${scp}runAsUser/`, strict)
    if (this.expected === undefined && isPositiveInt(runAsUser)) {
      this.expected = runAsUser
      this.expectedWho = 'the pod runAsUser'
    }
    this.id(RULES.runAsGroup, 'runAsGroup', sc?.runAsGroup, `${scp}runAsGroup/`, strict)
    this.id(RULES.fsGroup, 'fsGroup', sc?.fsGroup, `${scp}fsGroup/`, strict)

    const groups = sc?.supplementalGroups
    if (groups !== undefined) {
      if (!Array.isArray(groups)) this.add(RULES.supplementalGroups, `${scp}supplementalGroups/`, MESSAGES.supplementalGroups)
      else {
        for (let i = 0; i < groups.length; i++) {
          const g = groups[i]
          if (!isPositiveInt(g) || g > 65535) this.add(RULES.supplementalGroups, `${scp}supplementalGroups/${i}/`, MESSAGES.supplementalGroups)
        }
      }
    }

    const seccomp = sc?.seccompProfile
    const seccompType = isObj(seccomp) ? seccomp.type : undefined
    if (seccompType === undefined ? strict || seccomp !== undefined : seccompType !== 'RuntimeDefault') {
      this.add(RULES.seccompProfile, `${scp}seccompProfile/type/`, MESSAGES.seccompProfile)
    }

    if (!isUnset(ps.hostNetwork) && ps.hostNetwork !== false) this.add(RULES.hostNetwork, `${p}hostNetwork/`, MESSAGES.hostNetwork)
    if (!isUnset(ps.hostPID) && ps.hostPID !== false) this.add(RULES.hostPID, `${p}hostPID/`, MESSAGES.hostPID)
    if (!isUnset(ps.hostIPC) && ps.hostIPC !== false) this.add(RULES.hostIPC, `${p}hostIPC/`, MESSAGES.hostIPC)

    if (Array.isArray(ps.volumes)) this.volumes(ps.volumes, p)

    for (const field of CONTAINER_FIELDS) {
      const list = ps[field]
      if (!Array.isArray(list)) continue
      for (let i = 0; i < list.length; i++) {
        const c = list[i]
        if (isObj(c)) this.container(c, `${p}${field}/${i}/`)
      }
    }
  }

  private volumes(volumes: unknown[], p: string): void {
    for (let i = 0; i < volumes.length; i++) {
      const volume = volumes[i]
      if (!isObj(volume)) continue
      for (const key in volume) {
        if (key === 'name') continue
        if (!ALLOWED_VOLUME_TYPES.has(key)) this.add(RULES.volumeType, `${p}volumes/${i}/${key}/`, MESSAGES.volumeType(key))
        else if (key === 'hostPath') this.hostPath(volume, `${p}volumes/${i}/hostPath/path/`)
      }
    }
  }

  private hostPath(volume: Obj, path: string): void {
    const hostPath = volume.hostPath
    const hp = isObj(hostPath) ? hostPath.path : undefined
    if (typeof hp !== 'string' || hp === '') return this.add(RULES.hostPath, path, MESSAGES.hostPathMissing)
    if (hasDotDot(hp)) return this.add(RULES.hostPath, path, MESSAGES.hostPathDotDot(hp))
    const match = matchHostPath(hp)
    if (!match) return this.add(RULES.hostPath, path, MESSAGES.hostPath(hp))
    if (match.readOnly && typeof volume.name === 'string') (this.roVolumes ??= new Map()).set(volume.name, hp)
  }

  private container(c: Obj, p: string): void {
    const sc = isObj(c.securityContext) ? c.securityContext : undefined
    const scp = `${p}securityContext/`
    const strict = this.strict

    if (!isUnset(sc?.privileged) && sc?.privileged !== false) this.add(RULES.privileged, `${scp}privileged/`, MESSAGES.privileged)
    const ape = sc?.allowPrivilegeEscalation
    if (ape === undefined ? strict : ape !== false) {
      this.add(RULES.allowPrivilegeEscalation, `${scp}allowPrivilegeEscalation/`, MESSAGES.allowPrivilegeEscalation)
    }

    const caps = isObj(sc?.capabilities) ? (sc.capabilities as Obj) : undefined
    const drop = caps?.drop
    if (drop === undefined ? strict : !Array.isArray(drop) || !drop.includes('ALL')) {
      this.add(RULES.capabilitiesDrop, `${scp}capabilities/drop/`, MESSAGES.capabilitiesDrop)
    }
    const add = caps?.add
    if (add !== undefined && add !== null && (!Array.isArray(add) || add.length > 0)) {
      this.add(RULES.capabilitiesAdd, `${scp}capabilities/add/`, MESSAGES.capabilitiesAdd)
    }

    const procMount = sc?.procMount
    if (!isUnset(procMount) && procMount !== 'Default') {
      this.add(RULES.procMount, `${scp}procMount/`, procMount === 'DefaultProcMount' ? MESSAGES.procMountGoName : MESSAGES.procMount)
    }

    if (sc) {
      this.id(RULES.runAsUser, 'runAsUser', sc.runAsUser, `${scp}runAsUser/`, false)
      this.id(RULES.runAsGroup, 'runAsGroup', sc.runAsGroup, `${scp}runAsGroup/`, false)
      if (sc.runAsNonRoot !== undefined && sc.runAsNonRoot !== true) this.add(RULES.runAsNonRoot, `${scp}runAsNonRoot/`, MESSAGES.runAsNonRoot)
      const seccomp = sc.seccompProfile
      if (seccomp !== undefined && (!isObj(seccomp) || seccomp.type !== 'RuntimeDefault')) {
        this.add(RULES.seccompProfile, `${scp}seccompProfile/type/`, MESSAGES.seccompProfile)
      }
    }

    if (Array.isArray(c.ports)) {
      for (let i = 0; i < c.ports.length; i++) {
        const port = c.ports[i]
        if (isObj(port) && !isUnset(port.hostPort) && port.hostPort !== 0) this.add(RULES.hostPort, `${p}ports/${i}/hostPort/`, MESSAGES.hostPort)
      }
    }

    const ro = this.roVolumes
    if (ro && Array.isArray(c.volumeMounts)) {
      const mounts = c.volumeMounts
      for (let i = 0; i < mounts.length; i++) {
        const m = mounts[i]
        if (!isObj(m) || typeof m.name !== 'string' || m.readOnly === true) continue
        const hp = ro.get(m.name)
        if (hp !== undefined) this.add(RULES.hostPathReadOnly, `${p}volumeMounts/${i}/readOnly/`, MESSAGES.hostPathReadOnly(m.name, hp))
      }
    }
  }
}

function describe(kind: string, name: string | undefined): string {
  return name === undefined ? kind : `${kind} "${name}"`
}

/**
 * Every policy violation of one manifest. Objects without pods (Service, Ingress, HTTPRoute, ConfigMap…)
 * have none. Throws PolicyInputError for input that cannot be judged.
 */
export function checkPolicy(obj: unknown, opts: PolicyOptions = {}): Violation[] {
  if (!isObj(obj)) throw new PolicyInputError('manifest is not an object')
  const kind = obj.kind
  const metadata = obj.metadata
  const rawName = isObj(metadata) ? metadata.name : undefined
  const name = typeof rawName === 'string' ? rawName : undefined

  if (typeof kind !== 'string' || kind === '') {
    if (hasPodShape(obj)) throw new PolicyInputError(`${describe('object', name)} has no kind but contains a pod spec`)
    return []
  }
  const location = POD_SPEC_LOCATIONS.get(kind)
  if (!location) {
    if (hasPodShape(obj)) throw new PolicyInputError(`unknown kind ${describe(kind, name)} contains a pod spec; cannot check it`)
    return []
  }
  const podSpec = dig(obj, location.keys)
  if (!isObj(podSpec) || !Array.isArray(podSpec.containers) || podSpec.containers.length === 0) {
    throw new PolicyInputError(`${describe(kind, name)} has no containers at ${location.prefix}containers/`)
  }

  const checker = new Checker(opts, kind, name)
  checker.pod(podSpec, location.prefix)
  return checker.out
}

/** Kyverno's wording: `validation error: <message>. rule <rule> failed at path <path>`. */
export function formatViolation(v: Violation): string {
  return `validation error: ${v.message}. rule ${KYVERNO_RULE_NAME} failed at path ${v.path}`
}

export interface ManifestResult {
  /** Position in the input; `item` is set for members of a `kind: List`. */
  index: number
  item?: number
  kind?: string
  name?: string
  violations: Violation[]
  /** Set when the manifest could not be checked. */
  error?: string
}

/** Check many manifests; `kind: List` objects (kubectl output) are checked item by item. */
export function checkManifests(objects: unknown[], opts: PolicyOptions = {}): ManifestResult[] {
  const results: ManifestResult[] = []
  const checkOne = (obj: unknown, index: number, item?: number): void => {
    const result: ManifestResult = {index, violations: []}
    if (item !== undefined) result.item = item
    if (isObj(obj)) {
      if (typeof obj.kind === 'string') result.kind = obj.kind
      const name = isObj(obj.metadata) ? obj.metadata.name : undefined
      if (typeof name === 'string') result.name = name
    }
    try {
      result.violations = checkPolicy(obj, opts)
    } catch (error) {
      if (!(error instanceof PolicyInputError)) throw error
      result.error = item === undefined ? `manifest #${index + 1}: ${error.message}` : `manifest #${index + 1} item ${item + 1}: ${error.message}`
    }
    results.push(result)
  }

  for (let i = 0; i < objects.length; i++) {
    const obj = objects[i]
    if (isObj(obj) && obj.kind === 'List' && Array.isArray(obj.items)) {
      obj.items.forEach((item, j) => checkOne(item, i, j))
    } else {
      checkOne(obj, i)
    }
  }
  return results
}
