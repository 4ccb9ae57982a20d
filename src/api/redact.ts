// What --debug and error messages must never show: envvar values. They travel as the `value` of an
// envvars API body and as the `envvars` map of a build's parameters (build-time envvars).

export const REDACTED = '<redacted>'

export function redact(text: string, secrets: string[]): string {
  let result = text
  for (const secret of secrets) result = result.split(secret).join(REDACTED)
  return result
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The envvar values a request body carries: an API may echo them back in a message, which must not show them. */
export function secretValues(body: unknown): string[] {
  if (!isMap(body)) return []
  const values = [body.value, ...(isMap(body.envvars) ? Object.values(body.envvars) : [])]
  // Shorter values would garble every message they happen to occur in, and hide nothing worth hiding.
  return values.filter((value): value is string => typeof value === 'string' && value.length >= 4)
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
export function traceBody(body: unknown, opts: {redactAll?: boolean; secrets: string[]; limit?: number}): string {
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

  text = redact(text, opts.secrets)
  return opts.limit === undefined ? text : text.slice(0, opts.limit)
}
