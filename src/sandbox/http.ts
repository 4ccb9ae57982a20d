import type {IncomingMessage, ServerResponse} from 'node:http'

import {ApiError} from './errors.js'

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text)})
  res.end(text)
}

export function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, error.body ?? {error: error.messages})
}

const MAX_BODY = 1024 * 1024

/** The JSON body; malformed JSON gets FastAPI's 422 `{"detail": [...]}` like jobs-api (jobs.md §3.5). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new ApiError(413, ['Request body too large'])
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') {
    throw new ApiError(422, [], {detail: [{type: 'missing', loc: ['body'], msg: 'Field required', input: null}]})
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new ApiError(422, [], {detail: [{type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: {error: (error as Error).message}}]})
  }
}

const TRUE = new Set(['true', '1', 'yes', 'on', 't', 'y'])
const FALSE = new Set(['false', '0', 'no', 'off', 'f', 'n'])

/** A boolean query parameter as FastAPI parses it; anything else is a 422. */
export function boolParam(url: URL, name: string, fallback: boolean): boolean {
  const raw = url.searchParams.get(name)
  if (raw === null) return fallback
  const lower = raw.toLowerCase()
  if (TRUE.has(lower)) return true
  if (FALSE.has(lower)) return false
  throw new ApiError(422, [], {detail: [{type: 'bool_parsing', loc: ['query', name], msg: 'Input should be a valid boolean, unable to interpret input', input: raw}]})
}
