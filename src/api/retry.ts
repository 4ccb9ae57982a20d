import type {AxiosError} from 'axios'

import {isBodyCut} from './transport-errors.js'

// Which failed requests are sent again, and after how long (README, Reliability).

const IDEMPOTENT = new Set(['get', 'head', 'put', 'delete', 'patch', 'options'])
const RETRY_STATUSES = new Set([502, 503, 504])
// A read timeout (ECONNABORTED) is not retried: it would multiply the time the user waits.
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN'])

export function shouldRetry(error: AxiosError): boolean {
  const method = error.config?.method?.toLowerCase() ?? ''
  if (!IDEMPOTENT.has(method) || error.config?.responseType === 'stream') return false
  // A connection dropped in the middle of the answer is a dropped connection, whatever its status line said.
  if (isBodyCut(error)) return true
  if (error.response) return RETRY_STATUSES.has(error.response.status)
  return RETRY_CODES.has(error.code ?? '')
}

/**
 * The wait before retry number `retry` (1 for the first): `baseMs`, then doubling, or longer when the
 * server asked for it (Retry-After, in ms), plus up to 20 % jitter so that clients turned away together
 * do not come back together. axios-retry's exponentialDelay counts from 0, so given its 1-based count it
 * would start at twice the base.
 */
export function retryDelayMs(retry: number, baseMs: number, retryAfterMs = 0, random: () => number = Math.random): number {
  const delay = Math.max(baseMs * 2 ** Math.max(0, retry - 1), retryAfterMs)
  return delay + delay * 0.2 * random()
}
