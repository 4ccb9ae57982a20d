// What stands between a request and the cluster: jobs-api's own checks (image, defaults, LimitRange,
// object-count quota) and the per-tool Kyverno policy run over the objects src/kube generates.

import type {DefinedJob} from '../api/jobs-types.js'
import {buildJobObjects, JobValidationError, normalizeJob} from '../kube/jobs.js'
import type {KubeObject} from '../kube/types.js'
import {checkPolicy, formatViolation} from '../kube/policy.js'
import {ApiError} from './errors.js'
import type {ParsedJobRequest} from './models.js'
import {homeRelative, podHome} from './paths.js'
import {checkLimitRange, definitionFits, OUT_OF_QUOTA, podResources, type PodResources, type Usage} from './quota.js'
import type {JobRecord} from './store.js'

export interface AdmissionContext {
  tool: string
  /** uid jobs-api puts in the securityContext (the tool account's uid as the sandbox knows it). */
  buildUid: number
  /** uid the tool namespace's policy was written with when the tool was first set up. */
  policyUid: number
  now: Date
  usage: Usage
  /** The stored job this request replaces, whose objects no longer count against the quota. */
  replaces?: JobRecord
  /** Other jobs of the tool, for the one-published-job-per-host rule. */
  others: JobRecord[]
}

export interface Admitted {
  normalized: DefinedJob
  objects: KubeObject[]
  resources: PodResources
}

function definitionCounts(jobType: string, port: unknown): {cronjobs: number; deployments: number; services: number} {
  return {
    cronjobs: jobType === 'scheduled' ? 1 : 0,
    deployments: jobType === 'continuous' || jobType === 'webservice' ? 1 : 0,
    services: typeof port === 'number' ? 1 : 0,
  }
}

export function admitJob(req: ParsedJobRequest, ctx: AdmissionContext): Admitted {
  const kubeCtx = {tool: ctx.tool, uid: ctx.buildUid, now: ctx.now}
  let normalized: DefinedJob
  let objects: KubeObject[]
  try {
    normalized = normalizeJob(req.job, kubeCtx)
    objects = buildJobObjects(req.job, kubeCtx)
  } catch (error) {
    if (error instanceof JobValidationError) throw new ApiError(400, [error.message])
    throw error
  }
  if (req.webservice) normalized = {...normalized, job_type: 'webservice'}
  if (normalized.filelog) {
    // On Toolforge these paths are inside the container; here they are on the host, so only the tool home is theirs.
    for (const path of [normalized.filelog_stdout, normalized.filelog_stderr]) {
      if (typeof path === 'string' && homeRelative(ctx.tool, path) === undefined) {
        throw new ApiError(400, [`File log path '${path}' is outside the tool home ${podHome(ctx.tool)}: the sandbox writes file logs only there (relative paths are in the tool home)`])
      }
    }
  }

  const limitError = checkLimitRange(String(normalized.cpu), String(normalized.memory))
  if (limitError) throw new ApiError(400, [limitError])

  if (normalized.publish === '/') {
    const host = `${ctx.tool}.toolforge.org`
    if (ctx.others.some((j) => j.name !== req.job.name && j.resolved.publish === '/')) {
      throw new ApiError(400, [`Attempt to create job failed. The job cannot be published because the domain '${host}' and path '/' are already in use by another public job or webservice.`])
    }
  }

  const usage = {...ctx.usage}
  if (ctx.replaces) {
    const old = definitionCounts(ctx.replaces.jobType, ctx.replaces.resolved.port)
    usage.cronjobs -= old.cronjobs
    usage.deployments -= old.deployments
    usage.services -= old.services
  }
  const add = {...definitionCounts(normalized.job_type, normalized.port), jobs: normalized.job_type === 'one-off' ? 1 : 0}
  if (!definitionFits(usage, add)) throw new ApiError(400, [OUT_OF_QUOTA])

  const violations = objects.flatMap((obj) => checkPolicy(obj, {tool: ctx.tool, uid: ctx.policyUid}))
  if (violations.length > 0) throw new ApiError(403, [violations.map(formatViolation).join('\n')])

  return {normalized, objects, resources: podResources(objects, {memory: String(normalized.memory), cpu: String(normalized.cpu)})}
}
