import type {Readable} from 'node:stream'
// Collection paths have no trailing slash: the spec declares none (upstream's `/jobs/` also works on the
// real API, but a spec-validating proxy rejects it).

import type {HttpClient} from './http.js'
import type {DefinedJob, Image, NewJob, QuotaCategory} from './jobs-types.js'
import {IMAGE, JOB, QUOTA_CATEGORY, QUOTA_ITEM} from './response-shapes.js'
import {ResponseChecker} from './shape.js'
import {pathSegment} from './path.js'

const enc = (name: string) => pathSegment(name, 'job name')
const check = new ResponseChecker('jobs')

/** Typed client for the jobs API (../shared/openapi/jobs-api.yaml); paths are relative to …/jobs/v1/tool/<tool>. */
export class JobsClient {
  constructor(readonly http: HttpClient) {}

  async list(opts: {includeUnset?: boolean} = {}): Promise<DefinedJob[]> {
    const body = await this.http.get<unknown>('/jobs', {params: {include_unset: opts.includeUnset ?? true}})
    return check.list<DefinedJob>(body, 'jobs', JOB)
  }

  /** `signal` ends the request early: a wait must not outlast its own timeout because one poll hangs. */
  async show(name: string, opts: {signal?: AbortSignal} = {}): Promise<DefinedJob> {
    const body = await this.http.get<unknown>(`/jobs/${enc(name)}`, {params: {include_unset: true}, signal: opts.signal})
    return check.object<DefinedJob>(body, 'job', JOB)
  }

  async create(job: NewJob): Promise<DefinedJob | undefined> {
    const body = await this.http.post<{job?: DefinedJob}>('/jobs', job)
    return body.job
  }

  /** Create-or-update used by `load`; idempotent, so the HTTP core may retry it. */
  async update(job: NewJob): Promise<{jobChanged: boolean; messages: string[]}> {
    const body = await this.http.patch<{job_changed?: boolean; messages?: {info?: string[]}}>('/jobs', job)
    return {jobChanged: Boolean(body.job_changed), messages: body.messages?.info ?? []}
  }

  async delete(name: string): Promise<void> {
    await this.http.delete(`/jobs/${enc(name)}`)
  }

  async flush(): Promise<void> {
    await this.http.delete('/jobs')
  }

  async restart(name: string): Promise<void> {
    await this.http.post(`/jobs/${enc(name)}/restart`)
  }

  async images(): Promise<Image[]> {
    const body = await this.http.get<unknown>('/images')
    return check.list<Image>(body, 'images', IMAGE)
  }

  async quota(): Promise<QuotaCategory[]> {
    const body = await this.http.get<{quota?: unknown}>('/quotas')
    const categories = check.list<QuotaCategory>(body.quota, 'categories', QUOTA_CATEGORY, 'quota.')
    for (const [index, category] of categories.entries()) check.list(category, 'items', QUOTA_ITEM, `quota.categories[${index}].`)
    return categories
  }

  /**
   * NDJSON log stream. Followed, it has no read timeout, as upstream (logs can be followed for hours);
   * otherwise the API's read timeout ends it when the server stops sending.
   */
  logs(name: string, opts: {follow?: boolean; lines?: number} = {}): Promise<Readable> {
    return this.http.stream(`/jobs/${enc(name)}/logs`, {
      params: {follow: opts.follow ?? false, lines: opts.lines},
      timeoutSeconds: opts.follow ? 0 : undefined,
    })
  }
}
