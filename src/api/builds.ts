import type {Readable} from 'node:stream'

import {ServerError} from './errors.js'
import type {HttpClient} from './http.js'
import type {ResponseMessages} from './jobs-types.js'
import {BUILD, BUILD_QUOTA_CATEGORY} from './response-shapes.js'
import {ResponseChecker} from './shape.js'
import {pathSegment} from './path.js'

// Shapes of the builds API (../shared/openapi/builds-api.yaml 2.4.0). Every member of a response is
// optional in the spec, so readers must cope with any of them missing.

export type BuildStatus =
  | 'BUILD_PENDING'
  | 'BUILD_RUNNING'
  | 'BUILD_SUCCESS'
  | 'BUILD_FAILURE'
  | 'BUILD_CANCELLED'
  | 'BUILD_TIMEOUT'
  | 'BUILD_UNKNOWN'

/** Request body of `start`; unset keys are omitted so the server applies its own defaults. */
export interface BuildParameters {
  source_url: string
  ref?: string
  envvars?: Record<string, string>
  image_name?: string
  use_latest_versions?: boolean
  use_deprecated_versions?: boolean
}

export interface Build {
  build_id?: string
  status?: BuildStatus
  message?: string
  start_time?: string
  end_time?: string
  parameters?: Partial<BuildParameters>
  destination_image?: string
  resolved_ref?: string
}

export interface NewBuild {
  name: string
  resolved_ref?: string
  parameters?: Partial<BuildParameters>
}

export interface StartResponse {
  new_build: NewBuild
  messages: ResponseMessages
}

export interface QuotaCategoryItem {
  name?: string
  limit?: string
  used?: string
  available?: string
  capacity?: string
}

export interface BuildQuotaCategory {
  name?: string
  items?: QuotaCategoryItem[]
}

export interface QuotaResponse {
  quota: {categories: BuildQuotaCategory[]}
  messages: ResponseMessages
}

export const FINISHED_STATUSES: ReadonlySet<BuildStatus> = new Set(['BUILD_SUCCESS', 'BUILD_FAILURE', 'BUILD_CANCELLED', 'BUILD_TIMEOUT'])

const enc = (name: string) => pathSegment(name, 'build id')
const check = new ResponseChecker('builds')

/** Typed client for the builds API; paths are relative to …/builds/v1/tool/<tool>. */
export class BuildsClient {
  constructor(readonly http: HttpClient) {}

  async start(params: BuildParameters): Promise<StartResponse> {
    const body = await this.http.post<{new_build?: NewBuild; messages?: ResponseMessages}>('/builds', params)
    if (!body.new_build || typeof body.new_build.name !== 'string') throw malformed('new_build.name')
    return {new_build: body.new_build, messages: body.messages ?? {}}
  }

  async list(): Promise<{builds: Build[]; messages: ResponseMessages}> {
    const body = await this.http.get<{builds?: unknown; messages?: ResponseMessages}>('/builds')
    // Go's encoder writes a nil slice as null (or leaves it out): no builds yet.
    const builds = body.builds === undefined || body.builds === null ? [] : check.list<Build>(body, 'builds', BUILD)
    return {builds, messages: body.messages ?? {}}
  }

  /** One build by id, or the most recent one when no id is given (`show`/`logs` without an argument). */
  async get(id?: string): Promise<{build: Build; messages: ResponseMessages}> {
    const body = await this.http.get<{messages?: ResponseMessages}>(id === undefined ? '/builds/latest' : `/builds/${enc(id)}`)
    return {build: check.object<Build>(body, 'build', BUILD), messages: body.messages ?? {}}
  }

  async delete(id: string): Promise<void> {
    await this.http.delete(`/builds/${enc(id)}`)
  }

  async cancel(id: string): Promise<void> {
    await this.http.request('put', `/builds/${enc(id)}/cancel`)
  }

  async clean(): Promise<{messages: ResponseMessages}> {
    const body = await this.http.post<{messages?: ResponseMessages}>('/clean')
    return {messages: body.messages ?? {}}
  }

  async quota(): Promise<QuotaResponse> {
    const body = await this.http.get<{quota?: {categories?: BuildQuotaCategory[]}; messages?: ResponseMessages}>('/quotas')
    const categories = check.list<BuildQuotaCategory>(body.quota, 'categories', BUILD_QUOTA_CATEGORY, 'quota.')
    return {quota: {categories}, messages: body.messages ?? {}}
  }

  /**
   * NDJSON log stream. Followed, it has no read timeout (a build can take many minutes); otherwise the
   * API's read timeout ends it when the server stops sending. `follow` is sent as `true`/`false`, the
   * spec's boolean, rather than Python's `True`/`False` (Q-BUILD-08, fixed; the server parses both).
   */
  logs(id: string, opts: {follow?: boolean}): Promise<Readable> {
    return this.http.stream(`/builds/${enc(id)}/logs`, {params: {follow: opts.follow === true}, timeoutSeconds: opts.follow ? 0 : undefined})
  }
}

function malformed(field: string): ServerError {
  return new ServerError(`Invalid response from the builds API: missing or wrong '${field}'`)
}
