// jobs-api semantics (jobs.md §3.3–§3.5) over the sandbox store and runtime.

import {isDeepStrictEqual} from 'node:util'

import type {DefinedJob} from '../api/jobs-types.js'
import {admitJob} from './admission.js'
import {ApiError, notFound} from './errors.js'
import {parseJobRequest, type ParsedJobRequest} from './models.js'
import {ValidationFailure} from './pydantic.js'
import type {Runtime} from './runtime.js'
import {computeStatus} from './status.js'
import type {JobRecord, Store} from './store.js'

export interface Messages {
  info: string[]
  warning: string[]
  error: string[]
}

export const messages = (info: string[] = [], warning: string[] = []): Messages => ({info, warning, error: []})

export const WEBSERVICE_DEPRECATION = 'This endpoint is deprecated and will be removed in the future. Please use /jobs endpoint with continuous=true and publish=true instead.'

export interface ToolIdentity {
  /** uid used to build objects (the sandbox's configured uid for its tool). */
  buildUid(tool: string): number
  /** uid the tool's namespace policy was created with. */
  policyUid(tool: string): number
}

export class JobsService {
  constructor(private readonly store: Store, private readonly runtime: Runtime, private readonly identity: ToolIdentity) {}

  private now(): Date {
    return this.runtime.opts.now()
  }

  /** A job as list/show return it (jobs.md §3.6). */
  render(job: JobRecord, includeUnset: boolean): DefinedJob & {publish_url?: string} {
    if (!includeUnset) return {...job.spec, name: job.name, job_type: job.jobType} as unknown as DefinedJob
    const status = computeStatus(job, this.runtime.view(job.tool, job.name), this.now())
    const url = job.resolved.publish === '/' ? this.runtime.publishUrl(job.tool, job.name) : undefined
    const out = {...(job.resolved as unknown as DefinedJob), ...status} as DefinedJob & {publish_url?: string}
    if (url) {
      // The sandbox's stand-in for https://<tool>.toolforge.org: a local port, also given in the hints.
      out.publish_url = url
      out.status_long = `${out.status_long} Published at ${url}.`
    }
    return out
  }

  private get(tool: string, name: string): JobRecord {
    const job = this.store.getJob(tool, name)
    if (!job) throw notFound(name)
    return job
  }

  list(tool: string, includeUnset: boolean): DefinedJob[] {
    return this.store.listJobs(tool).map((j) => this.render(j, includeUnset))
  }

  show(tool: string, name: string, includeUnset: boolean): DefinedJob {
    return this.render(this.get(tool, name), includeUnset)
  }

  private parse(body: unknown, webservice: boolean): ParsedJobRequest {
    try {
      return parseJobRequest(body, {webservice})
    } catch (error) {
      if (error instanceof ValidationFailure) throw new ApiError(400, [error.message])
      throw error
    }
  }

  private isCompleted(job: JobRecord): boolean {
    return this.render(job, true).status_short?.toLowerCase() === 'completed'
  }

  /** Checks and stores the job, then starts it; `replaces` is the stored job being updated. */
  private async admitAndStore(tool: string, req: ParsedJobRequest, replaces?: JobRecord): Promise<JobRecord> {
    const now = this.now()
    const admitted = admitJob(req, {
      tool,
      buildUid: this.identity.buildUid(tool),
      policyUid: this.identity.policyUid(tool),
      now,
      usage: this.runtime.usage(tool),
      replaces,
      others: this.store.listJobs(tool),
    })
    const jobType = req.webservice ? 'webservice' : req.job.job_type
    const iso = now.toISOString()
    const record: JobRecord = {
      tool, name: req.job.name, jobType, spec: req.userSet, resolved: admitted.normalized as unknown as Record<string, unknown>,
      created: replaces?.jobType === jobType ? replaces.created : iso, updated: iso, restartedAt: null,
      lastSchedule: replaces?.jobType === 'scheduled' && jobType === 'scheduled' ? replaces.lastSchedule : null,
      servicePort: replaces?.servicePort ?? null, runtime: {resources: admitted.resources},
    }
    if (replaces) await this.runtime.stopJob(tool, replaces.name, {keepService: typeof record.resolved.port === 'number'})
    // Committed before the response and before anything runs, so an acknowledged job survives a crash.
    this.store.putJob(record)
    this.startRuntime(record)
    return record
  }

  private startRuntime(job: JobRecord): void {
    if (job.jobType === 'one-off') this.runtime.startJob(job, job.name, false)
    else if (job.jobType === 'continuous' || job.jobType === 'webservice') void this.runtime.startDeployment(job)
  }

  async create(tool: string, body: unknown, webservice = false): Promise<DefinedJob> {
    const req = this.parse(body, webservice)
    const existing = this.store.getJob(tool, req.job.name)
    if (existing) {
      // A finished one-off job may be replaced by a new one of the same name (T352989).
      if (!this.isCompleted(existing)) throw new ApiError(409, [`A job with the name ${req.job.name} already exists`])
      await this.delete(tool, existing.name)
    }
    const record = await this.admitAndStore(tool, req)
    return this.render(record, true)
  }

  async update(tool: string, body: unknown): Promise<{messages: Messages; job_changed: boolean}> {
    const req = this.parse(body, false)
    const name = req.job.name
    if (req.job.job_type === 'one-off') {
      return {messages: messages(["OneOffJobs can't be updated, delete and recreate it instead"]), job_changed: false}
    }
    const existing = this.store.getJob(tool, name)
    if (!existing) {
      await this.admitAndStore(tool, req)
      return {messages: messages([`Job ${name} created in storage and runtime`]), job_changed: true}
    }
    const admittedView = admitJob(req, {
      tool, buildUid: this.identity.buildUid(tool), policyUid: this.identity.policyUid(tool), now: this.now(),
      usage: this.runtime.usage(tool), replaces: existing, others: this.store.listJobs(tool),
    }).normalized
    if (existing.jobType === req.job.job_type && isDeepStrictEqual(existing.resolved, admittedView)) {
      return {messages: messages([`Job ${name} is already up to date`]), job_changed: false}
    }
    await this.admitAndStore(tool, req, existing)
    // The sandbox runtime always follows storage, so storage-only/runtime-only drift cannot occur.
    return {messages: messages([`Job ${name} was updated in storage and runtime`]), job_changed: true}
  }

  async delete(tool: string, name: string): Promise<void> {
    this.get(tool, name)
    this.store.deleteJob(tool, name)
    await this.runtime.stopJob(tool, name)
  }

  async flush(tool: string): Promise<void> {
    await Promise.all(this.store.listJobs(tool).map((j) => this.delete(tool, j.name)))
  }

  async restart(tool: string, name: string): Promise<void> {
    const job = this.get(tool, name)
    if (job.jobType === 'one-off') throw new ApiError(400, ['Unable to restart a one-off job'])
    const now = this.now()
    if (job.jobType === 'scheduled') {
      // Like jobs-api: drop the CronJob's current runs, then run it now as a manual Job.
      await this.runtime.stopJob(tool, name)
      this.runtime.startJob(job, `${name}-${Math.floor(now.getTime() / 1000)}`, true)
      return
    }
    this.store.setJobField(tool, name, 'restarted_at', now.toISOString())
    await this.runtime.stopJob(tool, name, {keepService: true})
    await this.runtime.startDeployment(this.get(tool, name))
  }
}
