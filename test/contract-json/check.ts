// A small checker for the JSON Schema subset the --json contract uses: type (one or several),
// properties + required, additionalProperties (a boolean or a schema), items, minItems, enum,
// const, anyOf, and local $ref (#/definitions/…). Properties not listed are allowed unless a schema
// says otherwise: the contract lets fields be added, never removed or renamed.

export interface Schema {
  $ref?: string
  type?: string | string[]
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: boolean | Schema
  items?: Schema
  minItems?: number
  enum?: unknown[]
  const?: unknown
  anyOf?: Schema[]
  definitions?: Record<string, Schema>
  description?: string
}

const KNOWN = new Set(['$ref', 'type', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'enum', 'const', 'anyOf', 'definitions', 'description', '$schema', 'title', 'examples'])

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer')
}

/** Every way `value` breaks `schema`, as `path: problem` lines; empty when it conforms. */
export function check(value: unknown, schema: Schema, root: {definitions?: Record<string, Schema>} = schema, path = '$'): string[] {
  for (const key of Object.keys(schema)) {
    // A keyword this checker does not implement would silently pass everything: refuse it.
    if (!KNOWN.has(key)) throw new Error(`${path}: unsupported schema keyword '${key}'`)
  }

  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/definitions\//, '')
    const target = root.definitions?.[name]
    if (!target) throw new Error(`${path}: unknown $ref ${schema.$ref}`)
    return check(value, target, root, path)
  }

  const errors: string[] = []
  const actual = typeOf(value)
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type]
    if (!types.some((t) => typeMatches(t, actual))) return [`${path}: expected ${types.join(' or ')}, got ${actual}`]
  }

  if (schema.const !== undefined && JSON.stringify(value) !== JSON.stringify(schema.const)) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`)
  if (schema.enum && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`)
  }

  if (schema.anyOf) {
    const results = schema.anyOf.map((option) => check(value, option, root, path))
    if (!results.some((r) => r.length === 0)) errors.push(`${path}: matches none of anyOf (${results.map((r) => r[0]).join('; ')})`)
  }

  if (actual === 'object') {
    const object = value as Record<string, unknown>
    for (const name of schema.required ?? []) if (!(name in object)) errors.push(`${path}: missing required property '${name}'`)
    for (const [name, member] of Object.entries(object)) {
      const declared = schema.properties?.[name]
      if (declared) errors.push(...check(member, declared, root, `${path}.${name}`))
      else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property '${name}'`)
      else if (typeof schema.additionalProperties === 'object') errors.push(...check(member, schema.additionalProperties, root, `${path}.${name}`))
    }
  }

  if (actual === 'array') {
    const array = value as unknown[]
    if (schema.minItems !== undefined && array.length < schema.minItems) errors.push(`${path}: expected at least ${schema.minItems} items`)
    if (schema.items) array.forEach((item, i) => errors.push(...check(item, schema.items!, root, `${path}[${i}]`)))
  }

  return errors
}
