// /etc/toolforge/webservice.yaml (webservice.md §4.1): the public domain and Harbor host of this
// deployment. `routing` is ours: which kind of route the kubernetes backend creates — `gateway`
// (HTTPRoute, since ingress-nginx left in 2026-04, §3.2) or `ingress` for clusters that still run it.

import {readFileSync} from 'node:fs'
import {parse as parseYaml} from 'yaml'

import {UserError} from '../api/errors.js'
import {DEFAULT_HARBOR_HOST} from '../kube/images.js'
import {DEFAULT_PUBLIC_DOMAIN} from '../kube/webservice.js'

export const WEBSERVICE_CONFIG_PATH = '/etc/toolforge/webservice.yaml'

export interface WebserviceConfig {
  publicDomain: string
  buildserviceRepository: string
  routing: 'gateway' | 'ingress'
}

/** `TOOLFORGE_WEBSERVICE_CONFIG` points elsewhere (tests, local clusters); a missing file means defaults. */
export function webserviceConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TOOLFORGE_WEBSERVICE_CONFIG || WEBSERVICE_CONFIG_PATH
}

export function loadWebserviceConfig(path = webserviceConfigPath()): WebserviceConfig {
  let data: unknown = {}
  try {
    data = parseYaml(readFileSync(path, 'utf8')) ?? {}
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new UserError(`Unable to read ${path} (${code ?? (error as Error).message})`)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UserError(`Unable to parse ${path}: not a mapping`)
  const record = data as Record<string, unknown>
  const text = (key: string, fallback: string) => (typeof record[key] === 'string' && record[key] !== '' ? (record[key] as string) : fallback)
  const routing = text('routing', 'gateway')
  if (routing !== 'gateway' && routing !== 'ingress') throw new UserError(`Invalid 'routing' in ${path}: '${routing}' (expected gateway or ingress)`)
  return {
    publicDomain: text('public_domain', DEFAULT_PUBLIC_DOMAIN),
    buildserviceRepository: text('buildservice_repository', DEFAULT_HARBOR_HOST),
    routing,
  }
}

export function publicUrl(tool: string, config: WebserviceConfig): string {
  return `https://${tool}.${config.publicDomain}`
}
