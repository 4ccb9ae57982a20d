import {open} from 'node:fs/promises'
import type {Readable} from 'node:stream'
import {parse as parseYaml, type Tags} from 'yaml'

import {EXIT_USER_ERROR, ToolforgeError, UserError} from '../api/errors.js'
import type {JobType} from '../api/jobs-types.js'
import {DEFAULT_WAIT_SECONDS, type JobOptions, jobTypeOf, OPTION_KEYS, type OptionKey} from './payload.js'
import {JobValidationError, validateJobOptions, type ValidatedJob} from './validate.js'

// `jobs load` input side (jobs.md §4.1, §4.2): read and parse a jobs.yaml, turn each entry into the same
// JobOptions `run` builds from its flags, and validate every entry before anything is sent.

export const MAX_JOBS_FILE_BYTES = 10 * 1024 * 1024
const MAX_ALIASES = 100

type Warn = (message: string) => void

const KEY_TO_OPTION = new Map<string, OptionKey>(Object.entries(OPTION_KEYS).map(([option, key]) => [key, option as OptionKey]))
// Names people bring from the API or from `list --json`; a hint, not an alias.
const LIKELY_MEANT: Readonly<Record<string, string>> = {
  cmd: 'command', imagename: 'image', memory: 'mem', filelog_stdout: 'filelog-stdout', filelog_stderr: 'filelog-stderr',
  health_check: 'health-check-script or health-check-http', no_filelog: 'no-filelog', nofilelog: 'no-filelog',
}

const STRING_KEYS = new Set<OptionKey>([
  'command', 'image', 'filelogStdout', 'filelogStderr', 'mem', 'cpu', 'emails', 'mount', 'schedule', 'healthCheckScript',
  'healthCheckHttp', 'port',
])
const INTEGER_KEYS = new Set<OptionKey>(['retry', 'timeout', 'replicas'])
const FLAG_KEYS = new Set<OptionKey>(['filelog', 'noFilelog', 'continuous', 'publish'])

/** A problem with one entry of the file; `key` is the jobs.yaml key when one is to blame. */
export class EntryError extends Error {
  constructor(
    message: string,
    readonly key?: string,
  ) {
    super(message)
  }
}

/** How Python's str() shows a YAML value, for upstream's warning texts. */
function pyStr(value: unknown): string {
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (value === null || value === undefined) return 'None'
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

function toText(value: unknown, key: string): string {
  if (typeof value === 'string') return value
  // `port: 8080`, `mem: 1`, `cpu: 0.5` are numbers in YAML; upstream used str(value).
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  throw new EntryError(`expected a string, got ${value === null ? 'an empty value' : `'${pyStr(value)}'`}`, key)
}

function toInteger(value: unknown, key: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value)
  throw new EntryError(`expected an integer, got ${value === null ? 'an empty value' : `'${pyStr(value)}'`}`, key)
}

/**
 * One jobs.yaml entry → JobOptions, with upstream's key rules (jobs.md §4.2): flags take `true`
 * (`filelog: "yes"` / `no-filelog: "true"` still work, with a deprecation warning), other values are
 * dropped with a warning; `wait` takes `true` (600 s) or seconds. Unlike upstream, unknown keys and
 * values of the wrong type are errors rather than whatever argparse made of `str(value)`.
 */
export function entryToJobOptions(entry: unknown, warn: Warn): JobOptions {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new EntryError(`expected a mapping of job options (name, command, image, …), got ${Array.isArray(entry) ? 'a list' : `'${pyStr(entry)}'`}`)
  }

  const record = entry as Record<string, unknown>
  const options: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(record)) {
    const option = KEY_TO_OPTION.get(key)
    if (option === undefined) {
      const hint = (Object.hasOwn(LIKELY_MEANT, key) ? LIKELY_MEANT[key] : undefined) ?? (KEY_TO_OPTION.has(key.replaceAll('_', '-')) ? key.replaceAll('_', '-') : undefined)
      throw new EntryError(`unknown key${hint ? ` (did you mean '${hint}'?)` : ''}`, key)
    }

    if (option === 'name') {
      options.name = toText(value, key)
    } else if (option === 'wait') {
      if (value === true) options.wait = DEFAULT_WAIT_SECONDS
      else if (typeof value === 'number' && Number.isInteger(value)) options.wait = value
      else warn(`Invalid key: 'wait' expects True or integer but got "${pyStr(value)}". omitting key...`)
    } else if (FLAG_KEYS.has(option)) {
      if (value === true || (option === 'publish' && value === '/')) {
        options[option] = true
      } else if ((option === 'filelog' && value === 'yes') || (option === 'noFilelog' && value === 'true')) {
        warn(`Assigning "${value}" to ${key} will be deprecated in future releases. Please use True unquoted instead.`)
        options[option] = true
      } else {
        warn(`Invalid key: ${key} expects True but got "${pyStr(value)}". omitting key...`)
      }
    } else if (INTEGER_KEYS.has(option)) {
      options[option] = toInteger(value, key)
    } else if (STRING_KEYS.has(option)) {
      options[option] = toText(value, key)
    }
  }

  const missing = (['name', 'command', 'image'] as const).filter((key) => options[key] === undefined)
  if (missing.length > 0) {
    throw new EntryError(`missing required key${missing.length > 1 ? 's' : ''} ${missing.map((k) => `'${k}'`).join(', ')}`)
  }

  return options as unknown as JobOptions
}

/** Reads a jobs file (or stdin for `-`), refusing anything over 10 MB. */
export async function readJobsFile(file: string, stdin: Readable = process.stdin): Promise<string> {
  const tooLarge = () => new UserError(`'${file}' is too large: jobs files are limited to ${MAX_JOBS_FILE_BYTES / 1024 / 1024} MB`)
  if (file === '-') {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of stdin) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
      size += buffer.length
      if (size > MAX_JOBS_FILE_BYTES) throw tooLarge()
      chunks.push(buffer)
    }

    return Buffer.concat(chunks).toString('utf8')
  }

  let handle
  try {
    handle = await open(file, 'r')
    const stat = await handle.stat()
    if (stat.isDirectory()) throw new UserError(`Unable to read '${file}': it is a directory`)
    if (stat.size > MAX_JOBS_FILE_BYTES) throw tooLarge()
    return await handle.readFile('utf8')
  } catch (error) {
    if (error instanceof ToolforgeError) throw error
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code ?? String(error)
    throw new UserError(`Unable to read '${file}': ${reason}`)
  } finally {
    await handle?.close()
  }
}

// PyYAML's YAML 1.1 booleans: unlike the 1.1 spec (and the yaml library), `y` and `n` stay strings.
const PY_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/
const PY_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/

function pyyamlBooleans(tags: Tags): Tags {
  return tags.map((tag) => {
    if (typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:bool' || !('test' in tag) || !tag.test) return tag
    return {...tag, test: tag.test.test('true') ? PY_TRUE : PY_FALSE}
  })
}

/**
 * YAML as upstream reads it (PyYAML `safe_load`, YAML 1.1: unquoted `yes` is true), with the alias count
 * capped against "billion laughs" documents. Must be a list.
 */
export function parseJobsYaml(text: string, source: string): unknown[] {
  let data: unknown
  try {
    data = parseYaml(text, {
      version: '1.1',
      customTags: pyyamlBooleans,
      maxAliasCount: MAX_ALIASES,
      prettyErrors: true,
      uniqueKeys: true,
      logLevel: 'error',
    })
  } catch (error) {
    throw new UserError(`Unable to parse yaml file '${source}'`, {details: (error as Error).message})
  }

  if (!Array.isArray(data)) {
    const got = data === null || data === undefined ? 'an empty document' : typeof data === 'object' ? 'a mapping' : `'${pyStr(data)}'`
    throw new UserError(`Unable to load '${source}': expected a list of job definitions, got ${got}`)
  }

  return data
}

export interface PlannedJob {
  /** 1-based position in the file. */
  number: number
  options: JobOptions
  validated: ValidatedJob
  jobType: JobType
}

function describeEntry(number: number, name: string | undefined): string {
  return typeof name === 'string' && name !== '' ? `job #${number} ('${name}')` : `job #${number}`
}

/**
 * Converts and validates every entry (before the `--job` filter, like upstream), refusing the whole file
 * when any entry is wrong: one line per bad entry naming its number, name and key.
 */
export function planLoad(entries: unknown[], opts: {source: string; only?: string; warn: Warn}): PlannedJob[] {
  const problems: string[] = []
  const planned: PlannedJob[] = []
  const seen = new Map<string, number>()
  for (const [index, entry] of entries.entries()) {
    const number = index + 1
    const rawName = entry && typeof entry === 'object' ? (entry as Record<string, unknown>).name : undefined
    const label = describeEntry(number, typeof rawName === 'string' || typeof rawName === 'number' ? String(rawName) : undefined)
    try {
      const options = entryToJobOptions(entry, (message) => opts.warn(`${opts.source}: ${label}: ${message}`))
      const validated = validateJobOptions(options)
      const previous = seen.get(options.name)
      if (previous !== undefined) throw new EntryError(`duplicate job name '${options.name}' (also job #${previous})`, 'name')
      seen.set(options.name, number)
      planned.push({number, options, validated, jobType: jobTypeOf(options)})
    } catch (error) {
      if (error instanceof EntryError) {
        problems.push(`${label}${error.key ? `, key '${error.key}'` : ''}: ${error.message}`)
      } else if (error instanceof JobValidationError) {
        problems.push(`${label}${error.key ? `, key '${OPTION_KEYS[error.key]}'` : ''}: ${error.message}`)
      } else {
        throw error
      }
    }
  }

  if (problems.length > 0) {
    throw new ToolforgeError(
      `'${opts.source}' has ${problems.length} invalid job definition${problems.length > 1 ? 's' : ''}; nothing was loaded:`,
      {exitCode: EXIT_USER_ERROR, details: problems.map((p) => `  ${p}`).join('\n')},
    )
  }

  if (opts.only === undefined) return planned
  const selected = planned.filter((job) => job.options.name === opts.only)
  if (selected.length === 0) throw new UserError(`job '${opts.only}' is not defined in '${opts.source}'`)
  return selected
}
