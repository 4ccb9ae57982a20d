import type {AxiosError, AxiosRequestConfig} from 'axios'

import {sandboxStartHint} from '../sandbox/marker.js'
import {ServerError, UserError} from './errors.js'
import type {ResponseMessages} from './jobs-types.js'
import {UncertainOutcomeError} from './outcome.js'
import {redact, redactAndCut} from './redact.js'
import {certificateMessage} from './transport-errors.js'

// Turning a failed request into the one-line error the user sees (config-auth.md §8.2), and deciding
// whether a failed POST may have been carried out anyway.

/**
 * `{"error": [...]}` (jobs/builds/envvars), FastAPI `{"detail": ...}`, legacy `{"message": ...}`, a bare JSON
 * string, with `secrets` hidden: before a plain-text body is shortened, so the cut cannot split one.
 */
export function extractErrorMessage(body: unknown, secrets: readonly string[] = []): string | undefined {
  const message = errorText(body, secrets)
  return message === undefined ? undefined : redact(message, secrets)
}

function errorText(body: unknown, secrets: readonly string[]): string | undefined {
  if (typeof body === 'string') {
    const text = body.trim()
    if (text === '') return undefined
    if (text.startsWith('{') || text.startsWith('"') || text.startsWith('[')) {
      try {
        return errorText(JSON.parse(text) as unknown, secrets) ?? undefined
      } catch {
        // Truncated JSON: fall through to the raw text check below.
      }
    }

    // An HTML page from a proxy says nothing useful and floods the terminal.
    if (/^<(!doctype|html)/i.test(text)) return undefined
    return redactAndCut(text, secrets, 500)
  }

  if (!body || typeof body !== 'object') return undefined
  const record = body as Record<string, unknown>
  if (Array.isArray(record.error) && record.error.length > 0) return record.error.map(String).join('\n')
  if (typeof record.error === 'string') return record.error
  const envelope = record.messages as {error?: unknown} | undefined
  if (Array.isArray(envelope?.error) && envelope.error.length > 0) return envelope.error.map(String).join('\n')
  if (typeof record.detail === 'string') return record.detail
  if (Array.isArray(record.detail)) {
    return record.detail
      .map((d) => {
        if (!d || typeof d !== 'object') return String(d)
        const {loc, msg} = d as {loc?: unknown[]; msg?: string}
        return Array.isArray(loc) ? `${loc.join('.')}: ${msg ?? ''}` : String(msg ?? JSON.stringify(d))
      })
      .join('\n')
  }

  if (typeof record.message === 'string') return record.message
  return undefined
}

/**
 * The info and warning entries of an error body, to print as for a success (config-auth.md §7): from
 * its `messages` envelope or, as jobs-api puts `error`, at the top level.
 */
export function errorBodyMessages(body: unknown): ResponseMessages | undefined {
  let data = body
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data) as unknown
    } catch {
      return undefined
    }
  }

  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined
  const record = data as Record<string, unknown>
  const envelope = record.messages && typeof record.messages === 'object' ? (record.messages as Record<string, unknown>) : {}
  const lines = (value: unknown) => (Array.isArray(value) ? value.map(String) : [])
  const info = [...lines(envelope.info), ...lines(record.info)]
  const warning = [...lines(envelope.warning), ...lines(record.warning)]
  return info.length > 0 || warning.length > 0 ? {info, warning} : undefined
}

export function describeUrl(config?: AxiosRequestConfig): string {
  if (!config) return 'the API'
  const base = (config.baseURL ?? '').replace(/\/+$/, '')
  return `${base}${config.url ?? ''}`
}

// Failures that happen before a single byte of the request is sent: repeating is always safe, and a
// POST that failed this way certainly did nothing.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_CANCELED', 'ETOOLFORGE_CONNECT_TIMEOUT'])
// Statuses from a proxy that may have passed the request on before giving up on the backend.
const UNCERTAIN_STATUSES = new Set([502, 504])
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|HOSTNAME_MISMATCH)/
const VERIFY_CODE = /^(ERR_TLS_CERT_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/

// Upstream's build and envvars CLIs call every connection error "down" (config-auth.md §8.2); the jobs
// CLI never did, so its wording stays.
const DOWN_WHEN_UNREACHABLE = new Set(['build', 'envvars'])
export const DEFAULT_CA_SOURCE = 'the configured CA (api_gateway.ca_file / TOOLFORGE_CA_FILE)'

export interface MapContext {
  service: string
  /** The request timeout as configured, in ms: retries shrink the one axios reports. */
  timeoutMs: number
  /** Strings that must never reach the user's terminal or logs (envvar values sent in this request, the token). */
  secrets: string[]
  /** Where the CA that verifies the server comes from, to name when it rejects one; DEFAULT_CA_SOURCE if unset. */
  caSource?: string
  /** That CA, to tell a file that holds no certificate from one that did not sign the server's. */
  ca?: Buffer
}

function down(service: string, detail: string): string {
  return `The ${service} service seems to be down – please retry in a few minutes. (${detail})`
}

export function mapHttpError(error: AxiosError, ctx: MapContext): Error {
  const url = describeUrl(error.config)
  const method = (error.config?.method ?? 'get').toLowerCase()
  const response = error.response
  const code = error.code ?? ''
  if (code === 'ERR_CANCELED') return error
  let status: number | undefined
  let message: string
  let uncertain = false
  if (response) {
    status = response.status
    const detail = extractErrorMessage(response.data, ctx.secrets) ?? `HTTP ${response.status} ${response.statusText || ''}`.trim() + ` from ${url}`
    message = status === 502 || status === 503 ? down(ctx.service, detail) : detail
    uncertain = UNCERTAIN_STATUSES.has(status)
    if (status >= 400 && status < 500) return new UserError(redact(message, ctx.secrets), {status})
  } else if (code === 'ETOOLFORGE_CONNECT_TIMEOUT') {
    const seconds = ((error.cause as {timeoutMs?: number} | undefined)?.timeoutMs ?? 0) / 1000
    message = DOWN_WHEN_UNREACHABLE.has(ctx.service)
      ? down(ctx.service, `Unable to connect to ${url} within ${seconds} s: connect timeout, set by TOOLFORGE_CONNECT_TIMEOUT`)
      : `Unable to connect to the ${ctx.service} service at ${url} within ${seconds} s (connect timeout, set by TOOLFORGE_CONNECT_TIMEOUT)`
  } else if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(error.message)) {
    message = `Request to ${url} timed out after ${ctx.timeoutMs / 1000} s`
    uncertain = true
  } else if (TLS_CODE.test(code)) {
    message = VERIFY_CODE.test(code)
      ? certificateMessage(code, error.message, {service: ctx.service, url, caSource: ctx.caSource ?? DEFAULT_CA_SOURCE, ca: ctx.ca})
      : `TLS handshake with the ${ctx.service} service at ${url} failed (${code}: ${error.message})`
  } else {
    const cause = code ? `${code}: ${error.message}` : error.message
    message = DOWN_WHEN_UNREACHABLE.has(ctx.service) ? down(ctx.service, `Unable to reach ${url}: ${cause}`) : `Unable to reach the ${ctx.service} service at ${url} (${cause})`
    uncertain = !NOT_SENT.has(code)
  }

  message = redact(message, ctx.secrets)
  if (uncertain && method === 'post') return new UncertainOutcomeError(message, 'POST', url, {status, cause: error})
  return new ServerError(message, {status, cause: error, details: response ? undefined : sandboxStartHint(url)})
}
