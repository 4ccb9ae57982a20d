import {ServerError} from './errors.js'

// Response bodies are checked against the few fields the CLI reads before anything renders them: a proxy,
// an API version skew or a bug can send any JSON, and a wrong type must become a clear "invalid response"
// (exit 2) rather than a TypeError deep inside a table renderer. Only types are checked, not values, so
// a new job type or status from a newer API still passes; unknown fields are always allowed.

/**
 * `string`, `number`, `integer`, `boolean`, `object` (a mapping), `array`, `strings` (a mapping of strings),
 * or a nested Shape; a trailing `?` means optional, and an optional field may also be null.
 */
export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'strings'
export type Field = FieldType | `${FieldType}?` | Shape | {optional: Shape}
export interface Shape {
  readonly [field: string]: Field
}

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function typeMatches(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string': {
      return typeof value === 'string'
    }

    case 'number': {
      return typeof value === 'number' && Number.isFinite(value)
    }

    case 'integer': {
      return Number.isSafeInteger(value)
    }

    case 'boolean': {
      return typeof value === 'boolean'
    }

    case 'object': {
      return isMapping(value)
    }

    case 'array': {
      return Array.isArray(value)
    }

    case 'strings': {
      return isMapping(value) && Object.values(value).every((v) => typeof v === 'string')
    }
  }
}

/** The path of the first field that does not fit, or undefined when the value fits the shape. */
export function firstMismatch(value: unknown, shape: Shape, path: string): string | undefined {
  if (!isMapping(value)) return path
  for (const [name, field] of Object.entries(shape)) {
    const child = value[name]
    const at = path === '' ? name : `${path}.${name}`
    if (typeof field === 'string') {
      const optional = field.endsWith('?')
      const type = (optional ? field.slice(0, -1) : field) as FieldType
      if (optional && (child === undefined || child === null)) continue
      if (!typeMatches(child, type)) return at
    } else if ('optional' in field && isMapping(field.optional)) {
      if (child === undefined || child === null) continue
      const problem = firstMismatch(child, field.optional as Shape, at)
      if (problem !== undefined) return problem
    } else {
      const problem = firstMismatch(child, field as Shape, at)
      if (problem !== undefined) return problem
    }
  }

  return undefined
}

export class ResponseChecker {
  constructor(private readonly api: string) {}

  error(path: string): ServerError {
    return new ServerError(`Invalid response from the ${this.api} API: missing or wrong '${path}'`)
  }

  /** `body[field]` as an object of the given shape; `prefix` says where `body` sits in the response. */
  object<T>(body: unknown, field: string, shape: Shape, prefix = ''): T {
    const value = isMapping(body) ? body[field] : undefined
    const problem = firstMismatch(value, shape, prefix + field)
    if (problem !== undefined) throw this.error(problem)
    return value as T
  }

  /** `body[field]` as an array whose every element has the given shape. */
  list<T>(body: unknown, field: string, shape: Shape, prefix = ''): T[] {
    const value = isMapping(body) ? body[field] : undefined
    if (!Array.isArray(value)) throw this.error(prefix + field)
    for (const [index, item] of value.entries()) {
      const problem = firstMismatch(item, shape, `${prefix}${field}[${index}]`)
      if (problem !== undefined) throw this.error(problem)
    }

    return value as T[]
  }
}
