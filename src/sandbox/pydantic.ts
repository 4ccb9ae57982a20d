// Validation that reports errors the way jobs-api's pydantic models do, so clients (and their tests)
// see the same 400 texts from the sandbox as from the real API (jobs.md §3.5).

export interface FieldError {
  loc: string
  msg: string
  type: string
  input: unknown
}

/** Python's repr(), enough for JSON values. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloat(value)
  if (typeof value === 'string') return pyStr(value)
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyStr(k)}: ${pyRepr(v)}`)
  return `{${entries.join(', ')}}`
}

function pyFloat(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf'
  return String(n)
}

function pyStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = ''
  for (const ch of s) {
    if (ch === '\\') out += '\\\\'
    else if (ch === quote) out += '\\' + ch
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) out += '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0')
    else out += ch
  }
  return quote + out + quote
}

export function pyType(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType'
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float'
  if (typeof value === 'string') return 'str'
  if (Array.isArray(value)) return 'list'
  return 'dict'
}

// pydantic shortens long inputs in error messages.
function truncatedRepr(value: unknown): string {
  const repr = pyRepr(value)
  return repr.length > 50 ? `${repr.slice(0, 24)}...${repr.slice(-24)}` : repr
}

export function formatValidationError(model: string, errors: FieldError[]): string {
  const lines = [`${errors.length} validation error${errors.length === 1 ? '' : 's'} for ${model}`]
  for (const e of errors) {
    lines.push(e.loc, `  ${e.msg} [type=${e.type}, input_value=${truncatedRepr(e.input)}, input_type=${pyType(e.input)}]`)
  }
  return lines.join('\n')
}

export class ValidationFailure extends Error {
  constructor(readonly model: string, readonly errors: FieldError[]) {
    super(formatValidationError(model, errors))
  }
}

/** A field parser returns the coerced value or pushes errors (and returns undefined). */
export type FieldParser = (value: unknown, loc: string, errors: FieldError[]) => unknown

export const str = (opts: {pattern?: RegExp; patternText?: string; min?: number; max?: number} = {}): FieldParser =>
  (value, loc, errors) => {
    if (typeof value !== 'string') {
      errors.push({loc, msg: 'Input should be a valid string', type: 'string_type', input: value})
      return undefined
    }
    const length = [...value].length
    if (opts.min !== undefined && length < opts.min) {
      errors.push({loc, msg: `String should have at least ${opts.min} character${opts.min === 1 ? '' : 's'}`, type: 'string_too_short', input: value})
      return undefined
    }
    if (opts.max !== undefined && length > opts.max) {
      errors.push({loc, msg: `String should have at most ${opts.max} character${opts.max === 1 ? '' : 's'}`, type: 'string_too_long', input: value})
      return undefined
    }
    if (opts.pattern && !opts.pattern.test(value)) {
      errors.push({loc, msg: `String should match pattern '${opts.patternText ?? opts.pattern.source}'`, type: 'string_pattern_mismatch', input: value})
      return undefined
    }
    return value
  }

export const int = (opts: {ge?: number; le?: number} = {}): FieldParser => (value, loc, errors) => {
  let n: number | undefined
  if (typeof value === 'boolean') n = value ? 1 : 0
  else if (typeof value === 'number') {
    if (!Number.isInteger(value)) {
      errors.push({loc, msg: 'Input should be a valid integer, got a number with a fractional part', type: 'int_from_float', input: value})
      return undefined
    }
    n = value
  } else if (typeof value === 'string') {
    const trimmed = value.trim()
    if (!/^[+-]?\d+$/.test(trimmed)) {
      errors.push({loc, msg: 'Input should be a valid integer, unable to parse string as an integer', type: 'int_parsing', input: value})
      return undefined
    }
    n = Number.parseInt(trimmed, 10)
  } else {
    errors.push({loc, msg: 'Input should be a valid integer', type: 'int_type', input: value})
    return undefined
  }
  if (opts.ge !== undefined && n < opts.ge) {
    errors.push({loc, msg: `Input should be greater than or equal to ${opts.ge}`, type: 'greater_than_equal', input: value})
    return undefined
  }
  if (opts.le !== undefined && n > opts.le) {
    errors.push({loc, msg: `Input should be less than or equal to ${opts.le}`, type: 'less_than_equal', input: value})
    return undefined
  }
  return n
}

const TRUE_STRINGS = new Set(['1', 'on', 't', 'true', 'y', 'yes'])
const FALSE_STRINGS = new Set(['0', 'off', 'f', 'false', 'n', 'no'])

export const bool = (): FieldParser => (value, loc, errors) => {
  if (typeof value === 'boolean') return value
  if (value === 0 || value === 1) return value === 1
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase()
    if (TRUE_STRINGS.has(lower)) return true
    if (FALSE_STRINGS.has(lower)) return false
    errors.push({loc, msg: 'Input should be a valid boolean, unable to interpret input', type: 'bool_parsing', input: value})
    return undefined
  }
  errors.push({loc, msg: 'Input should be a valid boolean', type: 'bool_type', input: value})
  return undefined
}

function orList(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`)
  return quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`
}

/** A str-valued Enum field (pydantic type `enum`). */
export const enumOf = (values: readonly string[]): FieldParser => (value, loc, errors) => {
  if (typeof value === 'string' && values.includes(value)) return value
  errors.push({loc, msg: `Input should be ${orList(values)}`, type: 'enum', input: value})
  return undefined
}

/** A typing.Literal field (pydantic type `literal_error`). */
export const literal = (...values: Array<string | boolean>): FieldParser => (value, loc, errors) => {
  if (values.includes(value as string | boolean)) return value
  const shown = values.map((v) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : `'${v}'`))
  const text = shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`
  errors.push({loc, msg: `Input should be ${text}`, type: 'literal_error', input: value})
  return undefined
}

export interface FieldSpec {
  parse: FieldParser
  required?: boolean
  nullable?: boolean
}

export type ModelSpec = Record<string, FieldSpec>

/**
 * Validates `input` against a model with extra="forbid": fields are checked in declaration order,
 * then unknown keys are reported in input order, like pydantic. Returns the coerced, non-null values.
 */
export function validateModel(modelName: string, spec: ModelSpec, input: unknown, locPrefix = ''): Record<string, unknown> {
  const errors: FieldError[] = []
  const result = parseModel(spec, input, locPrefix, errors, modelName)
  if (errors.length > 0) throw new ValidationFailure(modelName, errors)
  return result
}

export function parseModel(spec: ModelSpec, input: unknown, locPrefix: string, errors: FieldError[], modelName: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    errors.push({loc: locPrefix || modelName, msg: `Input should be a valid dictionary or instance of ${modelName}`, type: 'model_type', input})
    return out
  }
  const body = input as Record<string, unknown>
  for (const [field, fieldSpec] of Object.entries(spec)) {
    const loc = locPrefix + field
    if (!(field in body)) {
      if (fieldSpec.required) errors.push({loc, msg: 'Field required', type: 'missing', input: body})
      continue
    }
    const value = body[field]
    if (value === null && fieldSpec.nullable) continue
    const parsed = fieldSpec.parse(value, loc, errors)
    if (parsed !== undefined) out[field] = parsed
  }
  for (const [key, value] of Object.entries(body)) {
    if (!(key in spec)) errors.push({loc: locPrefix + key, msg: 'Extra inputs are not permitted', type: 'extra_forbidden', input: value})
  }
  return out
}
