import type {AxiosError} from 'axios'
import {X509Certificate} from 'node:crypto'

import {ServerError} from './errors.js'
import {UncertainOutcomeError} from './outcome.js'

// Failures of the transport itself that the generic mapping would misdescribe: an answer whose body
// never arrived whole, one too large to hold, and TLS verification failures with different causes.

/** The most a buffered answer may hold: far above any API answer, far below what would exhaust memory. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024

// Whoever ended the request on purpose (a timeout, a cancel) is reported as such, not as a dropped connection.
const DELIBERATE = new Set(['ERR_CANCELED', 'ECONNABORTED', 'ETIMEDOUT'])

/**
 * The status line said success, then the connection dropped before the body was complete: axios
 * rejects with the 2xx response attached, which must not read as an HTTP error. Like a reset before
 * the answer, the server may have acted, and an idempotent request may simply be sent again.
 */
export function isBodyCut(error: AxiosError): boolean {
  const status = error.response?.status
  return status !== undefined && status >= 200 && status < 300 && !DELIBERATE.has(error.code ?? '')
}

export function isTooLarge(error: AxiosError): boolean {
  return error.code === 'ERR_BAD_RESPONSE' && error.response === undefined && /maxContentLength/.test(error.message)
}

function mib(bytes: number): string {
  return `${bytes / (1024 * 1024)} MiB`
}

/** The error for a body cut off or too large, or undefined for every other failure. */
export function mapTransportError(error: AxiosError, ctx: {service: string; url: string; maxBytes?: number}): Error | undefined {
  const method = (error.config?.method ?? 'get').toUpperCase()
  let message: string
  if (isBodyCut(error)) {
    const cause = error.code ? `${error.code}: ${error.message}` : error.message
    message = `The connection to the ${ctx.service} service at ${ctx.url} was closed while reading the answer (HTTP ${error.response!.status}, ${cause})`
  } else if (isTooLarge(error)) {
    message = `The answer of the ${ctx.service} service at ${ctx.url} is larger than ${mib(ctx.maxBytes ?? MAX_RESPONSE_BYTES)}, the most the CLI reads; it was not read`
  } else {
    return undefined
  }

  // The server got the request and may have acted on it: a create whose answer was lost is looked up,
  // as after a reset. No status is reported: a 200 whose answer never arrived is no answer.
  if (method === 'POST') return new UncertainOutcomeError(message, method, ctx.url, {cause: error})
  return new ServerError(message, {cause: error})
}

const HOSTNAME_CODES = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH'])
const PEM_CERTIFICATE = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----/

/** Whether a CA bundle holds at least one certificate Node can use (PEM); anything else verifies nothing. */
export function holdsCertificate(ca: Buffer): boolean {
  if (!PEM_CERTIFICATE.test(ca.toString('latin1'))) return false
  try {
    return new X509Certificate(ca).raw.length > 0
  } catch {
    return false
  }
}

/**
 * A verification failure (code matched by the caller) in words that name its cause: a CA file that is
 * no certificate at all, a certificate for another host, or one the CA did not sign.
 */
export function certificateMessage(code: string, detail: string, ctx: {service: string; url: string; caSource: string; ca?: Buffer}): string {
  const reason = `(${code}: ${detail})`
  if (ctx.ca && !holdsCertificate(ctx.ca)) {
    const source = ctx.caSource.charAt(0).toUpperCase() + ctx.caSource.slice(1)
    return `${source} holds no PEM certificate, so the certificate of the ${ctx.service} service at ${ctx.url} cannot be verified ${reason}`
  }

  if (HOSTNAME_CODES.has(code)) {
    return `The ${ctx.service} service at ${ctx.url} presented a certificate issued for another host name ${reason}`
  }

  return `The ${ctx.service} service at ${ctx.url} presented a certificate that ${ctx.caSource} does not accept ${reason}`
}
