// The Kubernetes objects jobs-api creates for a job request (kubernetes-objects.md §3, §4): pure
// functions of the request, the tool and its uid.

import type {NewJob} from '../api/jobs-types.js'
import {type ResolvedJob, resolveJob} from './job-spec.js'
import {jobLabels, jobSelectorLabels} from './labels.js'
import {jobPodTemplate} from './pod-template.js'
import type {CronJobObject, DeploymentObject, HTTPRouteObject, JobObject, KubeObject, ServiceObject} from './types.js'

export type {KubeObject} from './types.js'
export {JobValidationError, normalizeJob, resolveJob} from './job-spec.js'

export interface JobContext {
  tool: string
  /** The tool account's uid (= gid), for the securityContext. */
  uid: number
  /** WMCS project (`tools`, `toolsbeta`, `local`); selects the public domain of published jobs. */
  project?: string
  /** Clock for the restart annotation. */
  now?: Date
  /** Build the Deployment of a restart: its pod template gets `app.kubernetes.io/restartedAt`. */
  restart?: boolean
  /** Overrides the domain derived from the project (`toolforge.org`, `beta.toolforge.org`, `local`). */
  publicDomain?: string
  /** cpu limit given to jobs that keep the default cpu request (jobs-api setting; 1000m on tools). */
  defaultCpuLimit?: string
  /** Harbor host for buildservice images named without one. */
  harborHost?: string
}

// jobs-api deletes finished jobs after this long, which is also how long their logs stay reachable.
export const JOB_TTL_AFTER_FINISHED = 30

export function publicDomainFor(project = 'tools'): string {
  if (project === 'toolsbeta') return 'beta.toolforge.org'
  if (project === 'local' || project === 'lima-kilo') return 'local'
  return 'toolforge.org'
}

function namespaceOf(tool: string): string {
  return `tool-${tool}`
}

function objectLabels(job: ResolvedJob): Record<string, string> {
  return jobLabels(job.tool, job.name, job.jobType, {filelog: job.filelog, emails: job.emails, mount: job.mount})
}

function oneOffJob(job: ResolvedJob, ctx: JobContext): JobObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {name: job.name, namespace: namespaceOf(job.tool), labels: objectLabels(job)},
    spec: {
      template: jobPodTemplate(job, {uid: ctx.uid, defaultCpuLimit: ctx.defaultCpuLimit}),
      ttlSecondsAfterFinished: JOB_TTL_AFTER_FINISHED,
      backoffLimit: job.retry,
    },
  }
}

function cronJob(job: ResolvedJob, ctx: JobContext): CronJobObject {
  const schedule = job.schedule
  if (!schedule) throw new Error(`scheduled job ${job.name} has no schedule`)
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name: job.name,
      namespace: namespaceOf(job.tool),
      labels: objectLabels(job),
      annotations: {'jobs.toolforge.org/cron-expression': schedule.text},
    },
    spec: {
      schedule: schedule.actual,
      // The history limit is needed so there is time to collect the logs.
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 1,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 30,
      jobTemplate: {
        spec: {
          template: jobPodTemplate(job, {uid: ctx.uid, defaultCpuLimit: ctx.defaultCpuLimit}),
          ttlSecondsAfterFinished: JOB_TTL_AFTER_FINISHED,
          backoffLimit: job.retry,
          ...(job.timeout ? {activeDeadlineSeconds: job.timeout} : {}),
        },
      },
    },
  }
}

function deployment(job: ResolvedJob, ctx: JobContext): DeploymentObject {
  const replicas = job.replicas || 1
  const restartedAt = ctx.restart ? (ctx.now ?? new Date()).toISOString() : undefined
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: job.name, namespace: namespaceOf(job.tool), labels: objectLabels(job)},
    spec: {
      replicas,
      progressDeadlineSeconds: 600,
      // One pod at a time for single-replica jobs (T375366).
      strategy: {type: replicas === 1 ? 'Recreate' : 'RollingUpdate'},
      selector: {matchLabels: jobSelectorLabels(job.tool, job.name)},
      template: jobPodTemplate(job, {uid: ctx.uid, defaultCpuLimit: ctx.defaultCpuLimit, restartedAt}),
    },
  }
}

function service(job: ResolvedJob, port: number): ServiceObject {
  const labels = jobLabels(job.tool, job.name, job.jobType)
  const protocol = job.portProtocol === 'udp' ? 'UDP' : 'TCP'
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name: job.name, namespace: namespaceOf(job.tool), labels},
    spec: {selector: {...labels}, type: 'ClusterIP', ports: [{protocol, port, targetPort: port}]},
  }
}

function httpRoute(job: ResolvedJob, port: number, ctx: JobContext): HTTPRouteObject {
  const domain = ctx.publicDomain ?? publicDomainFor(ctx.project)
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {name: job.name, namespace: namespaceOf(job.tool), labels: jobLabels(job.tool, job.name, job.jobType)},
    spec: {
      parentRefs: [{namespace: 'istio-gateway', name: 'toolforge'}],
      hostnames: [`${job.tool}.${domain}`],
      rules: [{backendRefs: [{name: job.name, port}]}],
    },
  }
}

/**
 * Everything jobs-api creates for the request, in creation order: a Job (one-off), a CronJob (scheduled),
 * or a Deployment plus a Service when a port is set plus an HTTPRoute when published (continuous).
 * Throws JobValidationError for requests the API would refuse.
 */
export function buildJobObjects(job: NewJob, ctx: JobContext): KubeObject[] {
  const resolved = resolveJob(job, ctx)
  if (resolved.jobType === 'one-off') return [oneOffJob(resolved, ctx)]
  if (resolved.jobType === 'scheduled') return [cronJob(resolved, ctx)]

  const objects: KubeObject[] = [deployment(resolved, ctx)]
  if (resolved.port !== undefined) {
    objects.push(service(resolved, resolved.port))
    if (resolved.publish === '/') objects.push(httpRoute(resolved, resolved.port, ctx))
  }
  return objects
}
