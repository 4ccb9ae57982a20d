import {ServerError} from './errors.js'
import type {HttpClient} from './http.js'
import type {ResponseMessages} from './jobs-types.js'
import {pathSegment} from './path.js'

// The envvars API has no published OpenAPI file; shapes follow build-envvars.md §2.2. The HTTP core
// is built with `redactBodies` for this API, and nothing here may log a value either. Errors reach
// the user through BaseCommand on stderr, as for every topic (Q-ENV-01, fixed: errors on stdout
// break scripts that capture the output).

export interface Envvar {
  name: string
  value: string
}

export interface EnvvarsQuota {
  quota: number
  used: number
}

export interface EnvvarResponse {
  envvar: Envvar
  messages: ResponseMessages
}

const enc = (name: string) => pathSegment(name, 'envvar name')

/** Typed client for the envvars API; paths are relative to …/envvars/v1/tool/<tool>. */
export class EnvvarsClient {
  constructor(readonly http: HttpClient) {}

  async list(): Promise<{envvars: Envvar[]; messages: ResponseMessages}> {
    const body = await this.http.get<{envvars?: unknown; messages?: ResponseMessages}>('/envvars')
    if (!Array.isArray(body.envvars) || !body.envvars.every(isEnvvar)) throw malformed('envvars')
    return {envvars: body.envvars, messages: body.messages ?? {}}
  }

  show(name: string): Promise<EnvvarResponse> {
    return this.one(this.http.get(`/envvars/${enc(name)}`))
  }

  /** Creates or replaces (the API has no create-only mode, Q-ENV-07). */
  create(name: string, value: string): Promise<EnvvarResponse> {
    return this.one(this.http.post('/envvars', {name, value}))
  }

  /** The response carries the value the envvar had before it was deleted. */
  delete(name: string): Promise<EnvvarResponse> {
    return this.one(this.http.delete(`/envvars/${enc(name)}`))
  }

  async quota(): Promise<{quota: EnvvarsQuota; messages: ResponseMessages}> {
    const body = await this.http.get<{quota?: Partial<EnvvarsQuota>; messages?: ResponseMessages}>('/quotas')
    const quota = body.quota
    if (!quota || !Number.isInteger(quota.quota) || !Number.isInteger(quota.used)) throw malformed('quota')
    return {quota: {quota: quota.quota as number, used: quota.used as number}, messages: body.messages ?? {}}
  }

  private async one(request: Promise<unknown>): Promise<EnvvarResponse> {
    const body = (await request) as {envvar?: unknown; messages?: ResponseMessages}
    if (!isEnvvar(body.envvar)) throw malformed('envvar')
    return {envvar: body.envvar, messages: body.messages ?? {}}
  }
}

function isEnvvar(value: unknown): value is Envvar {
  if (!value || typeof value !== 'object') return false
  const {name, value: v} = value as Record<string, unknown>
  return typeof name === 'string' && typeof v === 'string'
}

function malformed(field: string): ServerError {
  return new ServerError(`Invalid response from the envvars API: missing or wrong '${field}'`)
}
