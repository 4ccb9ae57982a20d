import type {AxiosError, AxiosRequestConfig} from 'axios'

import {ServerError, UserError} from './errors.js'
import {UncertainOutcomeError} from './outcome.js'

// Turning a failed request into the one-line error the user sees (config-auth.md §8.2), and deciding
// whether a failed POST may have been carried out anyway.

/** `{"error": [...]}` (jobs/builds/envvars), FastAPI `{"detail": ...}`, legacy `{"message": ...}`, a bare JSON string. */
export function extractErrorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    const text = body.trim()
    if (text === '') return undefined
    if (text.startsWith('{') || text.startsWith('"') || text.startsWith('[')) {
      try {
        return extractErrorMessage(JSON.parse(text) as unknown) ?? undefined
      } catch {
        // Truncated JSON: fall through to the raw text check below.
      }
    }

    // An HTML page from a proxy says nothing useful and floods the terminal.
    if (/^<(!doctype|html)/i.test(text)) return undefined
    return text.length > 500 ? `${text.slice(0, 500)}…` : text
  }

  if (!body || typeof body !== 'object') return undefined
  const record = body as Record<string, unknown>
  if (Array.isArray(record.error) && record.error.length > 0) return record.error.map(String).join('\n')
  if (typeof record.error === 'string') return record.error
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

export interface MapContext {
  service: string
  /** The request timeout as configured, in ms: retries shrink the one axios reports. */
  timeoutMs: number
  /** Strings that must never reach the user's terminal or logs (envvar values sent in this request). */
  secrets: string[]
}

export function redact(text: string, secrets: string[]): string {
  let result = text
  for (const secret of secrets) result = result.split(secret).join('<redacted>')
  return result
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
    const detail = extractErrorMessage(response.data) ?? `HTTP ${response.status} ${response.statusText || ''}`.trim() + ` from ${url}`
    message = status === 502 || status === 503 ? `The ${ctx.service} service seems to be down – please retry in a few minutes. (${detail})` : detail
    uncertain = UNCERTAIN_STATUSES.has(status)
    if (status >= 400 && status < 500) return new UserError(redact(message, ctx.secrets), {status})
  } else if (code === 'ETOOLFORGE_CONNECT_TIMEOUT') {
    const seconds = ((error.cause as {timeoutMs?: number} | undefined)?.timeoutMs ?? 0) / 1000
    message = `Unable to connect to the ${ctx.service} service at ${url} within ${seconds} s (connect timeout, set by TOOLFORGE_CONNECT_TIMEOUT)`
  } else if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(error.message)) {
    message = `Request to ${url} timed out after ${ctx.timeoutMs / 1000} s`
    uncertain = true
  } else if (TLS_CODE.test(code)) {
    message = VERIFY_CODE.test(code)
      ? `The ${ctx.service} service at ${url} presented a certificate that the configured CA (api_gateway.ca_file / TOOLFORGE_CA_FILE) does not accept (${code}: ${error.message})`
      : `TLS handshake with the ${ctx.service} service at ${url} failed (${code}: ${error.message})`
  } else {
    message = `Unable to reach the ${ctx.service} service at ${url} (${code ? `${code}: ${error.message}` : error.message})`
    uncertain = !NOT_SENT.has(code)
  }

  message = redact(message, ctx.secrets)
  if (uncertain && method === 'post') return new UncertainOutcomeError(message, 'POST', url, {status, cause: error})
  return new ServerError(message, {status, cause: error})
}
