import {readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {parse as parseYaml} from 'yaml'

import {UserError} from '../api/errors.js'

export const DEFAULT_API_URL = 'https://api.svc.tools.eqiad1.wikimedia.cloud:30003'
export const ETC_DIR = '/etc/toolforge'

export type ApiName = 'jobs' | 'builds' | 'envvars'

/** The upstream CLI's `client_name` for each API: its own file is `/etc/toolforge/<client_name>.yaml`. */
export const CLIENT_NAMES: Readonly<Record<ApiName, string>> = {jobs: 'jobs-cli', builds: 'builds', envvars: 'envvars'}

export interface GatewayConfig {
  url: string
  ca_file?: string
}

export interface ClientConfig {
  api_gateway: GatewayConfig
  /** Files this API's configuration came from, lowest priority first. */
  sources: string[]
}

export interface ToolforgeConfig {
  /** The gateway as common.yaml, the user files and the environment give it, before any client file. */
  api_gateway: GatewayConfig
  jobs: {jobs_endpoint: string; timeout: number}
  builds: {builds_endpoint: string; dest_repository: string; builder_image: string; timeout: number}
  envvars: {envvars_endpoint: string; timeout: number}
  /** Each API's gateway, read from its own client file up: jobs never sees envvars.yaml. */
  clients: Record<ApiName, ClientConfig>
  /** Files that were read, for --debug: the client files, then the shared ones lowest priority first. */
  sources: string[]
}

type Section = Record<string, unknown>
interface ReadFile {
  path: string
  data: Section
}

/**
 * Upstream search order for one client, least to most priority (config-auth.md §2.1): only its own
 * `<client_name>.yaml`, then `common.yaml`, then the user files. `common.yaml` outranks the client file
 * (Q-CFG-02) and sections are replaced, not deep-merged (Q-CFG-01): we keep both so a file written for
 * the Python CLIs means the same here. `TOOLFORGE_CONFIG` is ours, last and strongest.
 */
export function configSearchPath(api: ApiName | undefined, env: NodeJS.ProcessEnv = process.env, home = homedir(), etcDir = ETC_DIR): string[] {
  const paths = api ? [join(etcDir, `${CLIENT_NAMES[api]}.yaml`)] : []
  paths.push(join(etcDir, 'common.yaml'), join(home, '.toolforge.yaml'), join(home, '.config', 'toolforge.yaml'))
  if (env.XDG_CONFIG_HOME) paths.push(join(env.XDG_CONFIG_HOME, 'toolforge.yaml'))
  if (env.TOOLFORGE_CONFIG) paths.push(env.TOOLFORGE_CONFIG)
  return paths
}

function readYamlFile(path: string): Section | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw new UserError(`Unable to read config file ${path} (${code ?? String(error)})`)
  }

  let data: unknown
  try {
    data = parseYaml(text, {maxAliasCount: 100})
  } catch (error) {
    const position = (error as {linePos?: {line: number; col: number}[]}).linePos?.[0]
    throw new UserError(`Unable to parse config file ${path}${position ? ` (line ${position.line}, column ${position.col})` : ''}`)
  }

  if (data === null || data === undefined) return {}
  if (typeof data !== 'object' || Array.isArray(data)) throw new UserError(`Unable to parse config file ${path}: not a mapping`)
  return data as Section
}

function readAll(paths: string[]): ReadFile[] {
  const files: ReadFile[] = []
  for (const path of paths) {
    const data = readYamlFile(path)
    if (data !== undefined) files.push({path, data})
  }

  return files
}

function section(merged: Section, name: string): Section {
  const value = merged[name]
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Section) : {}
}

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback
}

function num(value: unknown, fallback: number): number {
  const n = typeof value === 'string' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : fallback
}

/** Every request URL is built on it: a typo here would otherwise surface as a connection error (exit 2). */
function checkGatewayUrl(url: string): string {
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }

  if (parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.hostname !== '') return url
  throw new UserError(`Invalid API gateway URL '${url}' (api_gateway.url or TOOL_TOOLFORGE_API_URL): expected https://HOST[:PORT]`)
}

function gatewayOf(merged: Section, env: NodeJS.ProcessEnv): GatewayConfig {
  const gateway = section(merged, 'api_gateway')
  const caFile = env.TOOLFORGE_CA_FILE || (typeof gateway.ca_file === 'string' ? gateway.ca_file : undefined)
  return {url: checkGatewayUrl(str(env.TOOL_TOOLFORGE_API_URL, str(gateway.url, DEFAULT_API_URL))), ca_file: caFile || undefined}
}

/**
 * `fn`'s value, worked out when first asked for and kept, a failure included: a client file is read only
 * by the commands of its API, and only they fail when it is broken.
 */
function lazy<T>(fn: () => T): () => T {
  let outcome: {value: T} | {error: unknown} | undefined
  return () => {
    if (!outcome) {
      try {
        outcome = {value: fn()}
      } catch (error) {
        outcome = {error}
      }
    }

    if ('error' in outcome) throw outcome.error
    return outcome.value
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, home = homedir(), etcDir = ETC_DIR): ToolforgeConfig {
  // Every client reads these, so a broken one fails every command.
  const shared = readAll(configSearchPath(undefined, env, home, etcDir))
  const merge = (files: ReadFile[]) => Object.assign({}, ...files.map((file) => file.data)) as Section
  const apis = Object.keys(CLIENT_NAMES) as ApiName[]

  // A client file only concerns its own API: a broken envvars.yaml must not stop `jobs list`.
  const own = {} as Record<ApiName, () => ReadFile[]>
  const resolved = {} as Record<ApiName, () => {data: Section; client: ClientConfig}>
  for (const api of apis) {
    own[api] = lazy(() => readAll(configSearchPath(api, env, home, etcDir).slice(0, 1)))
    resolved[api] = lazy(() => {
      const files = [...own[api](), ...shared]
      const data = merge(files)
      return {data, client: {api_gateway: gatewayOf(data, env), sources: files.map((file) => file.path)}}
    })
  }

  return {
    api_gateway: gatewayOf(merge(shared), env),
    get jobs() {
      const jobs = section(resolved.jobs().data, 'jobs')
      return {jobs_endpoint: str(jobs.jobs_endpoint, '/jobs/v1'), timeout: num(jobs.timeout, 60)}
    },
    get builds() {
      const data = resolved.builds().data
      // Bastions still write the legacy `build:` key (Q-CFG-03); honour it where `builds:` is absent.
      const builds = {...section(data, 'build'), ...section(data, 'builds')}
      return {
        builds_endpoint: str(builds.builds_endpoint, '/builds/v1'),
        dest_repository: str(builds.dest_repository, 'tools-harbor.wmcloud.org'),
        builder_image: str(builds.builder_image, 'tools-harbor.wmcloud.org/toolforge/heroku-builder-classic:22'),
        timeout: num(builds.timeout, 60),
      }
    },
    get envvars() {
      const envvars = section(resolved.envvars().data, 'envvars')
      return {envvars_endpoint: str(envvars.envvars_endpoint, '/envvars/v1'), timeout: num(envvars.timeout, 60)}
    },
    clients: {
      get jobs() {
        return resolved.jobs().client
      },
      get builds() {
        return resolved.builds().client
      },
      get envvars() {
        return resolved.envvars().client
      },
    },
    get sources() {
      const clientFiles = apis.flatMap((api) => {
        try {
          return own[api]().map((file) => file.path)
        } catch {
          return [] // reported when that API is used
        }
      })
      return [...clientFiles, ...shared.map((file) => file.path)]
    },
  }
}
