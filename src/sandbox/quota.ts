// Per-tool ResourceQuota and LimitRange, enforced the way the cluster does: definitions (CronJobs,
// Deployments, Services) are counted when a job is created, pods when they are started.

import type {QuotaCategory} from '../api/jobs-types.js'
import {decToNumber, parseQuantity, pyFloatString} from '../kube/quantity.js'
import type {KubeObject} from '../kube/types.js'

// spec.hard of a real tool's default-created ResourceQuota (examples/jobs-api/fixture-quota-resourcequota.json);
// the maintain-kubeusers defaults of pod-security.md §6.1 except limits.cpu/requests.memory, which
// had already drifted upwards on the cluster (the quota table of jobs.md §2.9 shows the same CPU 4.0).
export const RESOURCE_QUOTA = {
  'requests.cpu': '2',
  'requests.memory': '4Gi',
  'limits.cpu': '4',
  'limits.memory': '8Gi',
  pods: '10',
  services: '1',
  'count/cronjobs.batch': '50',
  'count/jobs.batch': '15',
  'count/deployments.apps': '3',
} as const

export const LIMIT_RANGE = {
  default: {cpu: '500m', memory: '512Mi'},
  defaultRequest: {cpu: '150m', memory: '256Mi'},
  max: {cpu: '1', memory: '4Gi'},
  min: {cpu: '50m', memory: '100Mi'},
} as const

export const OUT_OF_QUOTA = 'Out of quota for this kind of job. Please see https://w.wiki/6YLP for details.'

export const q = (text: string): number => decToNumber(parseQuantity(text))

export interface PodResources {
  requestsCpu: number
  requestsMemory: number
  limitsCpu: number
  limitsMemory: number
}

export interface Usage {
  pods: number
  jobs: number
  cronjobs: number
  deployments: number
  services: number
  requestsCpu: number
  requestsMemory: number
  limitsCpu: number
  limitsMemory: number
}

export const emptyUsage = (): Usage => ({
  pods: 0, jobs: 0, cronjobs: 0, deployments: 0, services: 0, requestsCpu: 0, requestsMemory: 0, limitsCpu: 0, limitsMemory: 0,
})

type ContainerLike = {resources?: {limits?: Record<string, unknown>; requests?: Record<string, unknown>}}

function podTemplateContainers(obj: KubeObject): ContainerLike[] {
  const spec = obj.spec as Record<string, any>
  const template = obj.kind === 'CronJob' ? spec.jobTemplate?.spec?.template : obj.kind === 'Pod' ? {spec} : spec.template
  return (template?.spec?.containers ?? []) as ContainerLike[]
}

/** The container resources of the job's workload object, as the API server would account them. */
export function podResources(objects: KubeObject[], fallback: {memory: string; cpu: string}): PodResources {
  const total: PodResources = {requestsCpu: 0, requestsMemory: 0, limitsCpu: 0, limitsMemory: 0}
  const workload = objects.find((o) => ['Job', 'CronJob', 'Deployment', 'Pod'].includes(o.kind))
  const containers = workload ? podTemplateContainers(workload) : []
  const read = (v: unknown, dflt: string): number => q(v === undefined || v === null ? dflt : String(v))
  if (containers.length === 0) {
    // kubernetes-objects.md §2.4: limits are the job's values, the default cpu gets a 1-core limit.
    const mem = q(fallback.memory)
    const cpu = q(fallback.cpu)
    return {requestsCpu: cpu, requestsMemory: mem <= q('512Mi') ? mem : mem / 2, limitsCpu: cpu === 0.1 ? 1 : cpu, limitsMemory: mem}
  }
  for (const c of containers) {
    const limits = c.resources?.limits ?? {}
    const requests = c.resources?.requests ?? {}
    // LimitRange defaulting: a missing limit gets `default`, a missing request the limit (or defaultRequest).
    const limitsCpu = read(limits.cpu, LIMIT_RANGE.default.cpu)
    const limitsMemory = read(limits.memory, LIMIT_RANGE.default.memory)
    total.limitsCpu += limitsCpu
    total.limitsMemory += limitsMemory
    total.requestsCpu += requests.cpu === undefined ? (limits.cpu === undefined ? q(LIMIT_RANGE.defaultRequest.cpu) : limitsCpu) : read(requests.cpu, '0')
    total.requestsMemory += requests.memory === undefined ? (limits.memory === undefined ? q(LIMIT_RANGE.defaultRequest.memory) : limitsMemory) : read(requests.memory, '0')
  }
  return total
}

/** LimitRange min/max per container, checked by jobs-api before creating anything (jobs.md §3.8). */
export function checkLimitRange(cpu: string, memory: string): string | undefined {
  const c = q(cpu)
  const m = q(memory)
  if (c < q(LIMIT_RANGE.min.cpu)) return `Requested CPU ${cpu} is less than minimum required per container (${LIMIT_RANGE.min.cpu})`
  if (c > q(LIMIT_RANGE.max.cpu)) return `Requested CPU ${cpu} is over maximum allowed per container (${LIMIT_RANGE.max.cpu})`
  if (m < q(LIMIT_RANGE.min.memory)) return `Requested memory ${memory} is less than minimum required per container (${LIMIT_RANGE.min.memory})`
  if (m > q(LIMIT_RANGE.max.memory)) return `Requested memory ${memory} is over maximum allowed per container (${LIMIT_RANGE.max.memory})`
  return undefined
}

export type QuotaKey = keyof typeof RESOURCE_QUOTA

// Per-tool quota bumps, as Toolforge admins grant them (FR-JOBS-10); one sandbox server per process.
let overrides: Partial<Record<QuotaKey, string>> = {}

/** Replaces the quota overrides (`--quota count/cronjobs.batch=128`); throws on an unknown key or bad value. */
export function setQuotaOverrides(values: Record<string, string>): void {
  const next: Partial<Record<QuotaKey, string>> = {}
  for (const [key, value] of Object.entries(values)) {
    if (!(key in RESOURCE_QUOTA)) throw new Error(`unknown quota '${key}' (known: ${Object.keys(RESOURCE_QUOTA).join(', ')})`)
    if (!(q(value) >= 0)) throw new Error(`invalid quota value '${value}' for ${key}`)
    next[key as QuotaKey] = value
  }

  overrides = next
}

/** `KEY=VALUE` pairs (`--quota count/cronjobs.batch=128`), checked like setQuotaOverrides checks them. */
export function parseQuotaArgs(pairs: readonly string[]): Record<string, string> {
  const quota: Record<string, string> = {}
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    if (at <= 0) throw new Error(`invalid quota '${pair}': expected KEY=VALUE`)
    quota[pair.slice(0, at)] = pair.slice(at + 1)
  }

  const previous = overrides
  setQuotaOverrides(quota)
  overrides = previous
  return quota
}

/** The hard limit in force for a key: an override, else the default ResourceQuota. */
export const quotaLimit = (key: QuotaKey): string => overrides[key] ?? RESOURCE_QUOTA[key]
const hard = (key: QuotaKey): number => q(quotaLimit(key))

// Floating sums of 0.1 drift; quotas compare at milli precision like the API server.
const exceeds = (used: number, add: number, limit: number): boolean => Math.round((used + add) * 1000) > Math.round(limit * 1000)

/** Resource types a new pod would exceed (`cpu`, `memory`), or `pods`; empty when it fits. */
export function podQuotaExceeded(usage: Usage, pod: PodResources): string[] {
  const over: string[] = []
  if (exceeds(usage.pods, 1, hard('pods'))) over.push('pods')
  if (exceeds(usage.requestsCpu, pod.requestsCpu, hard('requests.cpu')) || exceeds(usage.limitsCpu, pod.limitsCpu, hard('limits.cpu'))) over.push('cpu')
  if (exceeds(usage.requestsMemory / 2 ** 20, pod.requestsMemory / 2 ** 20, hard('requests.memory') / 2 ** 20) ||
      exceeds(usage.limitsMemory / 2 ** 20, pod.limitsMemory / 2 ** 20, hard('limits.memory') / 2 ** 20)) over.push('memory')
  return over
}

/** Whether creating the objects of a new job fits the object-count quotas. */
export function definitionFits(usage: Usage, add: {cronjobs?: number; deployments?: number; jobs?: number; services?: number}): boolean {
  return !(exceeds(usage.cronjobs, add.cronjobs ?? 0, hard('count/cronjobs.batch')) ||
    exceeds(usage.deployments, add.deployments ?? 0, hard('count/deployments.apps')) ||
    exceeds(usage.jobs, add.jobs ?? 0, hard('count/jobs.batch')) ||
    exceeds(usage.services, add.services ?? 0, hard('services')))
}

const cpuText = (n: number): string => pyFloatString(Math.round(n * 1000) / 1000)
const memText = (bytes: number): string => `${pyFloatString(Math.round((bytes / 2 ** 30) * 1000) / 1000)}Gi`

/** `GET …/quotas` in the exact category/item names of jobs.md §3.6. */
export function quotaReport(usage: Usage): {categories: QuotaCategory[]} {
  return {
    categories: [
      {
        name: 'Running jobs',
        items: [
          {name: 'Total running jobs at once (Kubernetes pods)', limit: RESOURCE_QUOTA.pods, used: String(usage.pods)},
          {name: 'Running one-off and cron jobs', limit: quotaLimit('count/jobs.batch'), used: String(usage.jobs)},
          {name: 'CPU', limit: cpuText(hard('limits.cpu')), used: cpuText(usage.limitsCpu)},
          {name: 'Memory', limit: memText(hard('limits.memory')), used: memText(usage.limitsMemory)},
        ],
      },
      {
        name: 'Per-job limits',
        items: [
          {name: 'CPU', limit: cpuText(q(LIMIT_RANGE.max.cpu)), used: null},
          {name: 'Memory', limit: memText(q(LIMIT_RANGE.max.memory)), used: null},
        ],
      },
      {
        name: 'Job definitions',
        items: [
          {name: 'Cron jobs', limit: quotaLimit('count/cronjobs.batch'), used: String(usage.cronjobs)},
          {name: 'Continuous jobs (including web services)', limit: quotaLimit('count/deployments.apps'), used: String(usage.deployments)},
        ],
      },
    ],
  }
}
