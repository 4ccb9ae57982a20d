import {readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {parse as parseYaml} from 'yaml'

import {UserError} from '../api/errors.js'

export const DEFAULT_API_URL = 'https://api.svc.tools.eqiad1.wikimedia.cloud:30003'

export interface ToolforgeConfig {
  api_gateway: {url: string; ca_file?: string}
  jobs: {jobs_endpoint: string; timeout: number}
  builds: {builds_endpoint: string; dest_repository: string; builder_image: string; timeout: number}
  envvars: {envvars_endpoint: string; timeout: number}
  /** Files that were read, lowest priority first; useful in --debug output. */
  sources: string[]
}

type Section = Record<string, unknown>

/**
 * Upstream search order, least to most priority (config-auth.md §2.1). `common.yaml` outranks the
 * client-specific files (Q-CFG-02) and sections are replaced, not deep-merged (Q-CFG-01): we keep both
 * so a file written for the Python CLIs means the same here.
 */
export function configSearchPath(env: NodeJS.ProcessEnv = process.env, home = homedir()): string[] {
  const paths = [
    '/etc/toolforge/jobs-cli.yaml',
    '/etc/toolforge/builds.yaml',
    '/etc/toolforge/envvars.yaml',
    '/etc/toolforge/common.yaml',
    join(home, '.toolforge.yaml'),
    join(home, '.config', 'toolforge.yaml'),
  ]
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env, home = homedir()): ToolforgeConfig {
  const merged: Section = {}
  const sources: string[] = []
  for (const path of configSearchPath(env, home)) {
    const data = readYamlFile(path)
    if (data === undefined) continue
    sources.push(path)
    Object.assign(merged, data)
  }

  const gateway = section(merged, 'api_gateway')
  const jobs = section(merged, 'jobs')
  // Bastions still write the legacy `build:` key (Q-CFG-03); honour it where `builds:` is absent.
  const builds = {...section(merged, 'build'), ...section(merged, 'builds')}
  const envvars = section(merged, 'envvars')
  const caFile = env.TOOLFORGE_CA_FILE || (typeof gateway.ca_file === 'string' ? gateway.ca_file : undefined)

  return {
    api_gateway: {url: checkGatewayUrl(str(env.TOOL_TOOLFORGE_API_URL, str(gateway.url, DEFAULT_API_URL))), ca_file: caFile || undefined},
    jobs: {jobs_endpoint: str(jobs.jobs_endpoint, '/jobs/v1'), timeout: num(jobs.timeout, 60)},
    builds: {
      builds_endpoint: str(builds.builds_endpoint, '/builds/v1'),
      dest_repository: str(builds.dest_repository, 'tools-harbor.wmcloud.org'),
      builder_image: str(builds.builder_image, 'tools-harbor.wmcloud.org/toolforge/heroku-builder-classic:22'),
      timeout: num(builds.timeout, 60),
    },
    envvars: {envvars_endpoint: str(envvars.envvars_endpoint, '/envvars/v1'), timeout: num(envvars.timeout, 60)},
    sources,
  }
}
