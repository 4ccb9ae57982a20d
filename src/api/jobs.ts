import type {Readable} from 'node:stream'
// Collection paths have no trailing slash: the spec declares none (upstream's `/jobs/` also works on the
// real API, but a spec-validating proxy rejects it).

import {ServerError} from './errors.js'
import type {HttpClient} from './http.js'
import type {DefinedJob, Image, NewJob, QuotaCategory} from './jobs-types.js'

const enc = encodeURIComponent

/** Typed client for the jobs API (../shared/openapi/jobs-api.yaml); paths are relative to …/jobs/v1/tool/<tool>. */
export class JobsClient {
  constructor(readonly http: HttpClient) {}

  async list(opts: {includeUnset?: boolean} = {}): Promise<DefinedJob[]> {
    const body = await this.http.get<{jobs?: DefinedJob[]}>('/jobs', {params: {include_unset: opts.includeUnset ?? true}})
    return Array.isArray(body.jobs) ? body.jobs : []
  }

  async show(name: string): Promise<DefinedJob> {
    const body = await this.http.get<{job?: DefinedJob}>(`/jobs/${enc(name)}`, {params: {include_unset: true}})
    if (!body.job || typeof body.job !== 'object') throw malformed('job')
    return body.job
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
    const body = await this.http.get<{images?: Image[]}>('/images')
    return Array.isArray(body.images) ? body.images : []
  }

  async quota(): Promise<QuotaCategory[]> {
    const body = await this.http.get<{quota?: {categories?: QuotaCategory[]}}>('/quotas')
    const categories = body.quota?.categories
    if (!Array.isArray(categories)) throw malformed('quota.categories')
    return categories
  }

  /** NDJSON log stream; no timeout, as upstream (logs can be followed for hours). */
  logs(name: string, opts: {follow?: boolean; lines?: number} = {}): Promise<Readable> {
    return this.http.stream(`/jobs/${enc(name)}/logs`, {
      params: {follow: opts.follow ?? false, lines: opts.lines},
      timeoutSeconds: 0,
    })
  }
}

function malformed(field: string): ServerError {
  return new ServerError(`Invalid response from the jobs API: missing or wrong '${field}'`)
}
