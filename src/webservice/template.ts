// service.template (webservice.md §1.3 steps 3–4, §1.8): defaults for the command line, kept next to the
// code. Values are validated with the same rules as the flags, but reported as template errors (exit 1).

import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse as parseYaml} from 'yaml'

import {EXIT_SERVER_ERROR, ToolforgeError, UserError} from '../api/errors.js'
import {shlexSplit} from '../kube/shlex.js'
import {
  type BackendName,
  checkBackend,
  checkHealthCheckPath,
  checkMount,
  checkQuantity,
  checkReplicas,
  UsageError,
} from './args.js'

export const TEMPLATE_NAME = 'service.template'
export const TEMPLATE_DIRS = ['', 'www/python/src', 'www/js', 'public_html'] as const

export interface TemplateValues {
  backend?: BackendName
  type?: string
  cpu?: string
  mem?: string
  replicas?: number
  buildserviceImage?: string
  extraArgs?: string[]
  mount?: 'all' | 'none'
  healthCheckPath?: string
}

export interface LoadedTemplate {
  /** The name as given (`--template`) or the full path found. */
  name: string
  values: TemplateValues
  unknownKeys: string[]
}

// `release` is the grid-engine option upstream still maps: known, so no warning, but it has no effect.
const KNOWN_KEYS = new Set(['backend', 'type', 'cpu', 'mem', 'replicas', 'buildservice-image', 'extra_args', 'mount', 'health-check-path', 'release'])

/** The single service.template under the home directory, if any; several is an error (T266692). */
export function findTemplate(home: string): string | undefined {
  const found = TEMPLATE_DIRS.map((dir) => join(home, dir, TEMPLATE_NAME)).filter((path) => existsSync(path))
  if (found.length > 1) {
    throw new UserError(
      'Only one service.template file is allowed, multiple were found. You will need to remove or rename the others.',
      {details: found.map((path) => `* ${path}`).join('\n')},
    )
  }
  return found[0]
}

function templateError(name: string, reason: string): UserError {
  return new UserError(`Your template file (${name}) contains errors:`, {details: `  ${reason}`})
}

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

function extraArgs(value: unknown, name: string): string[] | undefined {
  if (value === null || value === undefined || value === '') return undefined
  if (Array.isArray(value)) return value.map((v) => scalar(v) ?? JSON.stringify(v))
  if (typeof value === 'string') {
    try {
      return shlexSplit(value)
    } catch (error) {
      throw templateError(name, `extra_args: ${(error as Error).message}`)
    }
  }
  throw templateError(name, 'extra_args must be a list of strings')
}

/** Parse template text; `name` is only used in messages. */
export function parseTemplate(text: string, name: string): LoadedTemplate {
  let data: unknown
  try {
    // YAML 1.1 like PyYAML's safe_load, so `yes`/`on` mean what they meant for upstream.
    data = parseYaml(text, {version: '1.1', maxAliasCount: 100})
  } catch (error) {
    throw templateError(name, (error as Error).message.split('\n')[0])
  }
  if (data === null || data === undefined) return {name, values: {}, unknownKeys: []}
  // A list or a scalar says nothing we could use; upstream later made this fail instead of ignoring it (Q-WS-13).
  if (typeof data !== 'object' || Array.isArray(data)) throw templateError(name, 'the template must be a mapping of option names to values')

  const record = data as Record<string, unknown>
  const values: TemplateValues = {}
  const field = (key: string) => scalar(record[key])
  try {
    const backend = field('backend')
    if (backend !== undefined) values.backend = checkBackend(backend)
    values.type = field('type')
    const cpu = field('cpu')
    if (cpu !== undefined) values.cpu = checkQuantity('-c/--cpu', cpu)
    const mem = field('mem')
    if (mem !== undefined) values.mem = checkQuantity('-m/--mem', mem)
    const replicas = field('replicas')
    if (replicas !== undefined) values.replicas = checkReplicas(replicas)
    values.buildserviceImage = field('buildservice-image')
    values.extraArgs = extraArgs(record.extra_args, name)
    const mount = field('mount')
    if (mount !== undefined) values.mount = checkMount(mount)
    const path = field('health-check-path')
    if (path !== undefined) values.healthCheckPath = checkHealthCheckPath(path)
  } catch (error) {
    if (error instanceof UsageError) throw templateError(name, error.message)
    throw error
  }
  for (const key of Object.keys(values) as (keyof TemplateValues)[]) if (values[key] === undefined) delete values[key]
  return {name, values, unknownKeys: Object.keys(record).filter((key) => !KNOWN_KEYS.has(key))}
}

/** `--template FILE` (must exist: argparse's FileType error, exit 2) or the discovered file, or nothing. */
export function loadTemplate(home: string, given?: string): LoadedTemplate | undefined {
  const path = given ?? findTemplate(home)
  if (path === undefined) return undefined
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const err = error as NodeJS.ErrnoException
    const reason = err.code === 'ENOENT' ? `[Errno 2] No such file or directory: '${path}'` : `${err.code ?? ''} ${err.message}`.trim()
    throw new ToolforgeError(`argument --template: can't open '${path}': ${reason}`, {exitCode: EXIT_SERVER_ERROR})
  }
  return parseTemplate(text, path)
}

export function unknownKeysWarning(template: LoadedTemplate): string | undefined {
  if (template.unknownKeys.length === 0) return undefined
  return `Your template file (${template.name}) contains unknown keys: ${template.unknownKeys.join(', ')}`
}
