// Rule catalogue of the Toolforge per-tool pod policy. The upstream Kyverno template is not public in
// the reference (pod-security.md §4.2), so the rules are the reconstruction of §4.3: the 2019–2024
// PodSecurityPolicy fields, the explicit values jobs-api sends, and the procMount lesson of §3. Rule ids
// are ours (one per checked property); upstream has a single validate rule, whose name appears in the
// formatted message.

export const KYVERNO_POLICY_NAME = 'toolforge-kyverno-pod-policy'
export const KYVERNO_RULE_NAME = 'toolforge-validate-pod-policy'

export const RULES = {
  runAsNonRoot: 'run-as-non-root',
  runAsUser: 'run-as-user',
  runAsGroup: 'run-as-group',
  fsGroup: 'fs-group',
  supplementalGroups: 'supplemental-groups',
  seccompProfile: 'seccomp-profile',
  hostNetwork: 'host-network',
  hostPID: 'host-pid',
  hostIPC: 'host-ipc',
  // The PSP named no hostPorts ranges, which admits none (as Pod Security Admission's baseline).
  hostPort: 'host-port',
  volumeType: 'volume-type',
  hostPath: 'host-path',
  hostPathReadOnly: 'host-path-read-only',
  privileged: 'privileged',
  allowPrivilegeEscalation: 'allow-privilege-escalation',
  capabilitiesDrop: 'capabilities-drop',
  capabilitiesAdd: 'capabilities-add',
  procMount: 'proc-mount',
} as const

export type RuleId = (typeof RULES)[keyof typeof RULES]

export const ALLOWED_VOLUME_TYPES: ReadonlySet<string> = new Set([
  'configMap',
  'downwardAPI',
  'emptyDir',
  'projected',
  'secret',
  'hostPath',
  'persistentVolumeClaim',
])

export interface AllowedHostPath {
  prefix: string
  readOnly: boolean
}

// The PSP allow-list (§4.1) plus /etc/openstack/clouds.yaml, which volume-admission has injected into
// every `mount=all` pod since 2025-09 (§5.1) and which the enforcing policy therefore has to admit.
export const ALLOWED_HOST_PATHS: readonly AllowedHostPath[] = [
  {prefix: '/var/lib/sss/pipes', readOnly: false},
  {prefix: '/data/project', readOnly: false},
  {prefix: '/data/scratch', readOnly: false},
  {prefix: '/public/dumps', readOnly: true},
  {prefix: '/mnt/nfs', readOnly: true},
  {prefix: '/etc/wmcs-project', readOnly: true},
  {prefix: '/etc/ldap.yaml', readOnly: true},
  {prefix: '/etc/novaobserver.yaml', readOnly: true},
  {prefix: '/etc/ldap.conf', readOnly: true},
  {prefix: '/etc/openstack/clouds.yaml', readOnly: true},
]

const PREFIXES_WITH_SLASH = ALLOWED_HOST_PATHS.map((p) => `${p.prefix}/`)

/**
 * PSP `allowedHostPaths` semantics: a prefix matches whole path components (`/data/project` matches
 * `/data/project/x`, not `/data/projects`); a path is allowed if any entry matches and must be mounted
 * read-only when every matching entry says so. Undefined when not allowed.
 */
export function matchHostPath(path: string): {readOnly: boolean} | undefined {
  let end = path.length
  while (end > 1 && path.charCodeAt(end - 1) === 47) end--
  const p = end === path.length ? path : path.slice(0, end)
  let matched = false
  let readOnly = true
  for (let i = 0; i < ALLOWED_HOST_PATHS.length; i++) {
    const entry = ALLOWED_HOST_PATHS[i]
    if (p === entry.prefix || p.startsWith(PREFIXES_WITH_SLASH[i])) {
      matched = true
      if (!entry.readOnly) readOnly = false
    }
  }
  return matched ? {readOnly} : undefined
}

/** `..` components would let a permitted prefix reach elsewhere; Kubernetes rejects them as well. */
export function hasDotDot(path: string): boolean {
  return path === '..' || path.startsWith('../') || path.includes('/../') || path.endsWith('/..')
}

export const MESSAGES = {
  runAsNonRoot: 'runAsNonRoot must be set to true',
  seccompProfile: 'seccompProfile.type must be RuntimeDefault',
  hostNetwork: 'hostNetwork is not allowed',
  hostPID: 'hostPID is not allowed',
  hostIPC: 'hostIPC is not allowed',
  hostPort: 'hostPort is not allowed',
  privileged: 'privileged containers are not allowed',
  allowPrivilegeEscalation: 'allowPrivilegeEscalation must be set to false',
  capabilitiesDrop: 'capabilities.drop must contain ALL',
  capabilitiesAdd: 'adding capabilities is not allowed',
  procMount: 'procMount must be Default or unset',
  procMountGoName:
    'procMount must be Default or unset ("DefaultProcMount" is the name of the Go constant; its API value is "Default")',
  supplementalGroups: 'supplementalGroups entries must be between 1 and 65535',
  volumeType: (type: string) =>
    `volume type ${type} is not allowed (allowed: ${[...ALLOWED_VOLUME_TYPES].join(', ')})`,
  hostPath: (path: string) => `hostPath ${path} is not under an allowed path`,
  hostPathDotDot: (path: string) => `hostPath ${path} must not contain '..'`,
  hostPathMissing: 'hostPath volumes must have a path',
  hostPathReadOnly: (volume: string, path: string) => `volume ${volume} (hostPath ${path}) must be mounted read-only`,
  /** `who` says where the expected id comes from, e.g. "the uid of tool mytool". */
  idEquals: (field: string, expected: number, who: string) => `${field} must be ${expected} (${who})`,
  idPositive: (field: string) => `${field} must be set to the tool's id (an integer >= 1)`,
} as const
