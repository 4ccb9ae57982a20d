import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse} from 'yaml'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

const OPENAPI_DIR = fileURLToPath(new URL('../../../shared/openapi/', import.meta.url))

function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map((n) => strip(n))
  if (!node || typeof node !== 'object') return node
  const out: Json = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'discriminator' || key === 'example') continue
    out[key] = key === '$ref' && typeof value === 'string' ? value.replace('#/components/schemas/', '#/$defs/') : strip(value)
  }

  return out
}

/**
 * A JSON-schema check of request bodies against one of the upstream OpenAPI specs (ajv comes with
 * @stoplight/prism-cli). `discriminator` is dropped because the specs' mappings do not meet ajv's stricter
 * discriminator rules; `oneOf` alone decides the same. Returns undefined for a valid body, else ajv's errors.
 */
export async function requestBodyValidator(spec: string, path: string, method: string): Promise<(body: unknown) => string | undefined> {
  const {default: Ajv2020} = (await import('ajv/dist/2020.js')) as unknown as {
    default: new (opts: object) => {compile(s: object): ((d: unknown) => boolean) & {errors?: unknown}}
  }
  const doc = parse(readFileSync(join(OPENAPI_DIR, spec), 'utf8')) as Json
  const schema = doc.paths[path][method].requestBody.content['application/json'].schema
  const ajv = new Ajv2020({strict: false, allErrors: true})
  const validate = ajv.compile({...(strip(schema) as Json), $defs: strip(doc.components.schemas)})
  return (body) => (validate(body) ? undefined : JSON.stringify(validate.errors))
}
