// What --debug and error messages must never show: envvar values and credentials. Values travel as the
// `value` of an envvars API body and as the `envvars` map of a build's parameters (build-time envvars);
// the token is in every request's Authorization header.

export const REDACTED = '<redacted>'

// Shorter strings would garble every message they happen to occur in, and hide nothing worth hiding.
const MIN_SECRET_LENGTH = 4

const hex4 = (unit: number) => `\\u${unit.toString(16).padStart(4, '0')}`

/**
 * The spellings in which a server may echo a secret: as sent, trimmed (servers strip the newline a value
 * piped from a file ends with), and escaped inside JSON it sends back or quotes in a plain-text error.
 * JSON.stringify's escaping is Python's with ensure_ascii=False; Go's encoder also escapes & < > and
 * U+2028/U+2029; Python's default (ensure_ascii) escapes everything beyond ASCII.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>()
  for (const raw of [secret, secret.trim()]) {
    if (raw.length < MIN_SECRET_LENGTH) continue
    const json = JSON.stringify(raw).slice(1, -1)
    forms.add(raw)
    forms.add(json)
    forms.add(json.replaceAll(/[&<>\u2028\u2029]/g, (c) => hex4(c.charCodeAt(0))))
    forms.add(json.replaceAll(/[^\u0000-\u007f]/g, (c) => hex4(c.charCodeAt(0))))
  }

  // Longest first, so a longer spelling is replaced whole before a shorter one could split it.
  return [...forms].sort((a, b) => b.length - a.length)
}

export function redact(text: string, secrets: readonly string[]): string {
  let result = text
  for (const secret of secrets) {
    for (const form of secretForms(secret)) result = result.split(form).join(REDACTED)
  }

  return result
}

/** Hides a secret that a cut left only the beginning of at the end of `text`: `redact` cannot see it there. */
function hideCutSecret(text: string, secrets: readonly string[]): string {
  let cut = text.length
  for (const secret of secrets) {
    for (const form of secretForms(secret)) {
      for (let k = Math.min(form.length - 1, text.length); k >= MIN_SECRET_LENGTH && text.length - k < cut; k--) {
        if (text.charCodeAt(text.length - 1) === form.charCodeAt(k - 1) && text.endsWith(form.slice(0, k))) {
          cut = text.length - k
          break
        }
      }
    }
  }

  return cut === text.length ? text : text.slice(0, cut) + REDACTED
}

/**
 * At most `limit` characters of `text` with the secrets hidden, then `…` if something was cut. Secrets
 * are hidden before cutting: a cut through a secret would leave most of it where no one looks for it.
 */
export function redactAndCut(text: string, secrets: readonly string[], limit: number): string {
  const clean = redact(text, secrets)
  if (clean.length <= limit) return clean
  return `${hideCutSecret(clean.slice(0, limit), secrets)}…`
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The envvar values a request body carries: an API may echo them back in a message, which must not show them. */
export function secretValues(body: unknown): string[] {
  if (!isMap(body)) return []
  const values = [body.value, ...(isMap(body.envvars) ? Object.values(body.envvars) : [])]
  return values.filter((value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH)
}

/** The credential of an Authorization header (`Bearer <token>`): a 401 page may quote the header back. */
export function credentialSecrets(token: string | undefined): string[] {
  return token && token.length >= MIN_SECRET_LENGTH ? [token] : []
}

/** A copy with the values of every `envvars` map replaced, wherever it is nested (`parameters.envvars` of each build). */
export function redactEnvvarMaps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => redactEnvvarMaps(item))
  if (!isMap(value)) return value
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    copy[key] = key === 'envvars' && isMap(item) ? Object.fromEntries(Object.keys(item).map((name) => [name, REDACTED])) : redactEnvvarMaps(item)
  }

  return copy
}

/** A body as --debug shows it: everything but the secrets, so a trace still says what was sent and answered. */
export function traceBody(body: unknown, opts: {redactAll?: boolean; secrets: readonly string[]; limit?: number}): string {
  if (opts.redactAll) return REDACTED
  let text: string
  if (typeof body === 'string') {
    text = body
    try {
      const parsed = JSON.parse(body) as unknown
      const clean = JSON.stringify(redactEnvvarMaps(parsed))
      // Re-serialised only when something was hidden, so an ordinary body is shown as received.
      if (clean !== JSON.stringify(parsed)) text = clean
    } catch {
      // Not JSON: only the values sent with the request are known to hide.
    }
  } else {
    text = JSON.stringify(redactEnvvarMaps(body)) ?? ''
  }

  return opts.limit === undefined ? redact(text, opts.secrets) : redactAndCut(text, opts.secrets, opts.limit)
}
