// The envvars API of build-envvars.md §2.2. Statuses the reference leaves open are project decisions:
// 404 unknown name, 400 invalid name or body, 403 quota exhausted, all with `{"error": [...]}`.

import type {IncomingMessage, ServerResponse} from 'node:http'

import {ApiError} from './errors.js'
import {readJson, sendJson} from './http.js'
import {messages} from './jobs-service.js'
import type {Store} from './store.js'

export const ENVVAR_NAME_PATTERN = /^[A-Z][A-Z_0-9]{2,}[A-Z0-9]$/
// Envvars live in the namespace's Secrets, whose ResourceQuota default is 10 (pod-security.md §6.1).
export const ENVVARS_QUOTA = 10

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !ENVVAR_NAME_PATTERN.test(name)) {
    throw new ApiError(400, [`Invalid envvar name ${JSON.stringify(name)}: it must match ${ENVVAR_NAME_PATTERN.source}`])
  }
  return name
}

export async function envvarsRoute(req: IncomingMessage, res: ServerResponse, store: Store, tool: string, rest: string[]): Promise<void> {
  const method = req.method ?? 'GET'
  const [first, id, ...extra] = rest
  if (extra.length > 0) throw new ApiError(404, ['Not Found'])
  if (first === 'quotas' && id === undefined) {
    if (method !== 'GET') throw new ApiError(405, ['Method Not Allowed'])
    return sendJson(res, 200, {quota: {quota: ENVVARS_QUOTA, used: store.listEnvvars(tool).length}, messages: messages()})
  }
  if (first !== 'envvars') throw new ApiError(404, ['Not Found'])

  if (id === undefined) {
    if (method === 'GET') return sendJson(res, 200, {envvars: store.listEnvvars(tool), messages: messages()})
    if (method !== 'POST') throw new ApiError(405, ['Method Not Allowed'])
    const body = await readJson(req)
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, ['The request body must be a JSON object with "name" and "value"'])
    const {name, value, ...others} = body as Record<string, unknown>
    const unknown = Object.keys(others)
    if (unknown.length > 0) throw new ApiError(400, [`Unknown field(s): ${unknown.join(', ')}`])
    const checked = checkName(name)
    if (typeof value !== 'string') throw new ApiError(400, ['The envvar value must be a string'])
    if (!store.getEnvvar(tool, checked) && store.listEnvvars(tool).length >= ENVVARS_QUOTA) {
      throw new ApiError(403, [`Quota exceeded: this tool already has ${ENVVARS_QUOTA} envvars`])
    }
    store.setEnvvar(tool, checked, value)
    return sendJson(res, 200, {envvar: {name: checked, value}, messages: messages()})
  }

  const name = decodeURIComponent(id)
  const existing = store.getEnvvar(tool, name)
  if (method !== 'GET' && method !== 'DELETE') throw new ApiError(405, ['Method Not Allowed'])
  if (!existing) throw new ApiError(404, [`Envvar '${name}' does not exist`])
  if (method === 'DELETE') store.deleteEnvvar(tool, name)
  return sendJson(res, 200, {envvar: existing, messages: messages()})
}
