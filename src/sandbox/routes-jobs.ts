import type {IncomingMessage, ServerResponse} from 'node:http'

import {apiImageList} from '../kube/images.js'
import {ApiError} from './errors.js'
import {boolParam, readJson, sendJson} from './http.js'
import {type JobsService, messages, WEBSERVICE_DEPRECATION} from './jobs-service.js'
import {serveLogs} from './logs.js'
import {quotaReport} from './quota.js'
import type {Runtime} from './runtime.js'
import type {Store} from './store.js'

export interface RouteContext {
  store: Store
  runtime: Runtime
  jobs: JobsService
  /** Open follow-mode log responses, ended when the server closes. */
  streams: Set<ServerResponse>
}

const methodNotAllowed = (): ApiError => new ApiError(405, ['Method Not Allowed'])

/** `/jobs/v1/tool/<tool>/<rest…>` with `rest` split into segments (trailing slash already removed). */
export async function jobsRoute(req: IncomingMessage, res: ServerResponse, ctx: RouteContext, tool: string, rest: string[], url: URL): Promise<void> {
  const method = req.method ?? 'GET'
  const [first, id, action, ...extra] = rest
  if (extra.length > 0) throw new ApiError(404, ['Not Found'])

  if (first === 'images' && id === undefined) {
    if (method !== 'GET') throw methodNotAllowed()
    return sendJson(res, 200, {images: apiImageList(), messages: {}})
  }
  if (first === 'quotas' && id === undefined) {
    if (method !== 'GET') throw methodNotAllowed()
    return sendJson(res, 200, {quota: quotaReport(ctx.runtime.usage(tool)), messages: {}})
  }
  if (first === 'deprecated_webservice_job' && id === undefined) {
    if (method !== 'POST') throw methodNotAllowed()
    const job = await ctx.jobs.create(tool, await readJson(req), true)
    return sendJson(res, 200, {job, messages: messages([], [WEBSERVICE_DEPRECATION])})
  }
  if (first !== 'jobs') throw new ApiError(404, ['Not Found'])

  if (id === undefined) {
    switch (method) {
      case 'GET':
        return sendJson(res, 200, {jobs: ctx.jobs.list(tool, boolParam(url, 'include_unset', true)), messages: messages()})
      case 'POST':
      case 'PUT': {
        const job = await ctx.jobs.create(tool, await readJson(req))
        return sendJson(res, 201, {job, messages: messages()})
      }
      case 'PATCH':
        return sendJson(res, 200, await ctx.jobs.update(tool, await readJson(req)))
      case 'DELETE':
        await ctx.jobs.flush(tool)
        return sendJson(res, 200, {messages: messages()})
      default:
        throw methodNotAllowed()
    }
  }

  const name = decodeURIComponent(id)
  if (action === undefined) {
    if (method === 'GET') return sendJson(res, 200, {job: ctx.jobs.show(tool, name, boolParam(url, 'include_unset', true)), messages: messages()})
    if (method === 'DELETE') {
      await ctx.jobs.delete(tool, name)
      return sendJson(res, 200, {messages: messages()})
    }
    throw methodNotAllowed()
  }
  if (action === 'logs') {
    if (method !== 'GET') throw methodNotAllowed()
    return serveLogs(req, res, {store: ctx.store, runtime: ctx.runtime, tool, name, url, follow: boolParam(url, 'follow', false), closing: ctx.streams})
  }
  if (action === 'restart') {
    if (method !== 'POST') throw methodNotAllowed()
    await ctx.jobs.restart(tool, name)
    return sendJson(res, 200, {messages: messages()})
  }
  throw new ApiError(404, ['Not Found'])
}
