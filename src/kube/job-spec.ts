// Server-side resolution of a job request (jobs.md §3.4, §3.6): image lookup, defaults that depend on the
// image type, absolute log paths, normalised memory/cpu and the expanded schedule. The builders work from
// the resolved job, and the sandbox answers `include_unset=true` reads from it, so both agree with what
// the real API stores.

import type {DefinedJob, EmailOption, HealthCheck, JobType, MountOption, NewJob, PortProtocol} from '../api/jobs-types.js'
import {CronError, cronApiErrorMessage, expandSchedule} from './cron.js'
import {resolveImage, type ResolvedImage} from './images.js'
import type {JobContext} from './jobs.js'
import {normalizeCpu, normalizeMemory, QuantityError} from './quantity.js'

export const JOB_DEFAULT_MEMORY = '512Mi'
export const JOB_DEFAULT_CPU = '100m'

/** A request the API would refuse with HTTP 400; the message is the API's error text. */
export class JobValidationError extends Error {}

export interface ResolvedJob {
  tool: string
  name: string
  cmd: string
  imagename: string
  image: ResolvedImage
  jobType: JobType
  filelog: boolean
  /** Absolute paths, set only when filelog is on. */
  filelogStdout?: string
  filelogStderr?: string
  emails: EmailOption
  mount: MountOption
  /** Normalised (`0.5Gi`, `0.1`), as the API stores and returns them. */
  memory: string
  cpu: string
  retry: number
  schedule?: {text: string; actual: string}
  timeout?: number
  replicas: number
  port?: number
  portProtocol: PortProtocol
  healthCheck?: HealthCheck
  publish: string
}

export function toolHome(tool: string): string {
  return `/data/project/${tool}`
}

// pathlib.PurePosixPath normalisation: repeated slashes and `.` components vanish, `..` stays.
function purePath(path: string): string {
  const leading = path.startsWith('//') && !path.startsWith('///') ? '//' : path.startsWith('/') ? '/' : ''
  const parts = path.split('/').filter((p) => p !== '' && p !== '.')
  return leading + parts.join('/') || '.'
}

/** `resolve_filelog_path`: empty → default in the tool home, absolute → as is, relative → under the home. */
export function resolveFilelogPath(path: string | undefined, tool: string, defaultName: string): string {
  if (!path) return purePath(`${toolHome(tool)}/${defaultName}`)
  if (path.startsWith('/')) return purePath(path)
  return purePath(`${toolHome(tool)}/${path}`)
}

export function jobTypeOf(job: NewJob): JobType {
  if (job.job_type === 'one-off' || job.job_type === 'scheduled' || job.job_type === 'continuous') return job.job_type
  if (job.continuous) return 'continuous'
  return job.schedule === undefined ? 'one-off' : 'scheduled'
}

function quantity(normalize: (v: string) => string, value: string): string {
  try {
    return normalize(value)
  } catch (error) {
    if (error instanceof QuantityError) throw new JobValidationError(error.message)
    throw error
  }
}

function intInRange(value: number | undefined, fallback: number, min: number, max: number, field: string): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new JobValidationError(`${field} must be an integer between ${min} and ${max}, got ${value}`)
  }
  return value
}

/** Resolve a request like jobs-api does at creation; throws JobValidationError with the API's texts. */
export function resolveJob(job: NewJob, ctx: JobContext): ResolvedJob {
  const image = resolveImage(job.imagename, ctx.tool, ctx.harborHost)
  if (!image) throw new JobValidationError(`No such image '${job.imagename}'`)
  const jobType = jobTypeOf(job)

  if (job.mount === 'none' && !image.buildservice) {
    throw new JobValidationError('Mount type none is only supported for build service images')
  }
  const filelog = job.filelog ?? !image.buildservice
  // Asking for file logs on a buildservice image without --mount used to fail because the mount default
  // is `none` there (FR-JOBS-09, T429907); logs need the NFS home, so the default follows the request.
  const mount: MountOption = job.mount ?? (image.buildservice && !filelog ? 'none' : 'all')
  if (filelog && mount !== 'all') throw new JobValidationError('File logging is only available with --mount=all')

  const resolved: ResolvedJob = {
    tool: ctx.tool,
    name: job.name,
    cmd: job.cmd,
    imagename: job.imagename,
    image,
    jobType,
    filelog,
    emails: job.emails ?? 'none',
    mount,
    memory: quantity(normalizeMemory, job.memory ?? JOB_DEFAULT_MEMORY),
    cpu: quantity(normalizeCpu, job.cpu ?? JOB_DEFAULT_CPU),
    retry: jobType === 'continuous' ? 0 : intInRange(job.retry, 0, 0, 5, 'retry'),
    replicas: 1,
    portProtocol: 'tcp',
    publish: '',
  }
  if (filelog) {
    resolved.filelogStdout = resolveFilelogPath(job.filelog_stdout, ctx.tool, `${job.name}.out`)
    resolved.filelogStderr = resolveFilelogPath(job.filelog_stderr, ctx.tool, `${job.name}.err`)
  }

  if (jobType === 'scheduled') {
    if (job.schedule === undefined) throw new JobValidationError('A scheduled job requires a schedule')
    try {
      resolved.schedule = {text: job.schedule, actual: expandSchedule(job.schedule, ctx.tool, job.name)}
    } catch (error) {
      if (error instanceof CronError) throw new JobValidationError(cronApiErrorMessage(job.schedule, error.message))
      throw error
    }
    resolved.timeout = intInRange(job.timeout, 0, 0, Number.MAX_SAFE_INTEGER, 'timeout')
  }

  if (jobType === 'continuous') resolveContinuous(job, resolved)
  return resolved
}

function resolveContinuous(job: NewJob, resolved: ResolvedJob): void {
  // The model accepts 0 replicas (Q-JOBS-06); the Deployment then falls back to one.
  resolved.replicas = intInRange(job.replicas, 1, 0, Number.MAX_SAFE_INTEGER, 'replicas')
  if (job.port !== undefined) resolved.port = intInRange(job.port, 0, 1, 65535, 'port')
  resolved.portProtocol = job.port_protocol ?? 'tcp'
  if (job.health_check) {
    if (job.health_check.type === 'http' && resolved.port === undefined) {
      throw new JobValidationError('Port must be set for HTTP health checks')
    }
    resolved.healthCheck = job.health_check
  }
  const publish = job.publish ?? ''
  if (publish !== '' && publish !== '/') throw new JobValidationError(`publish only supports "/", got "${publish}"`)
  if (publish === '/') {
    if (resolved.port === undefined) throw new JobValidationError('publish requires port to be set')
    if (resolved.portProtocol !== 'tcp') throw new JobValidationError('publish requires port_protocol set to tcp')
  }
  resolved.publish = publish
}

/**
 * The job as the API returns it with `include_unset=true` (without status fields): every default filled
 * in, log paths absolute, memory `"<float>Gi"`, cpu `str(float)`.
 */
export function normalizeJob(job: NewJob, ctx: JobContext): DefinedJob {
  const r = resolveJob(job, ctx)
  const out: DefinedJob = {
    name: r.name,
    cmd: r.cmd,
    imagename: r.imagename,
    image: r.image.shortname,
    image_state: r.image.state,
    job_type: r.jobType,
    filelog: r.filelog,
    filelog_stdout: r.filelogStdout ?? null,
    filelog_stderr: r.filelogStderr ?? null,
    emails: r.emails,
    mount: r.mount,
    memory: r.memory,
    cpu: r.cpu,
  }
  if (r.jobType !== 'continuous') out.retry = r.retry
  if (r.schedule) {
    out.schedule = r.schedule.text
    out.schedule_actual = r.schedule.actual
    out.timeout = r.timeout ?? 0
  }
  if (r.jobType === 'continuous') {
    out.continuous = true
    out.replicas = r.replicas
    out.port = r.port ?? null
    out.port_protocol = r.portProtocol
    out.health_check = r.healthCheck ?? null
    out.publish = r.publish
  }
  return out
}
