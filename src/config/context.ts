import {existsSync, readFileSync, statSync} from 'node:fs'
import {hostname} from 'node:os'

import {UserError} from '../api/errors.js'
import {HttpClient, type HttpClientOptions} from '../api/http.js'
import {loadConfig, type ToolforgeConfig} from './files.js'
import {type Kubeconfig, kubeconfigPath, loadKubeconfig} from './kubeconfig.js'

export interface ToolContext {
  tool: string
  config: ToolforgeConfig
  kube: Kubeconfig
  ca?: Buffer
}

export const BECOME_HINT = "Failed to load configuration, did you forget to run 'become <mytool>'?"

/**
 * Tool identity and credentials for the API clients. A missing kubeconfig or a non-tool namespace becomes
 * the upstream hint (FR-JOBS-01), with the underlying reason kept for --debug instead of a traceback
 * (Q-AUTH-02); a kubeconfig or config file that exists but is broken is named in the message.
 */
export function loadToolContext(env: NodeJS.ProcessEnv = process.env): ToolContext {
  // A broken config file is named as such: it has nothing to do with `become`.
  const config: ToolforgeConfig = loadConfig(env)
  let kube: Kubeconfig
  try {
    kube = loadKubeconfig(env)
  } catch (error) {
    const reason = (error as Error).message
    // No kubeconfig at all is what forgetting `become` looks like; a broken one is a problem to name.
    if (!existsSync(kubeconfigPath(env))) throw new UserError(BECOME_HINT, {debugDetails: reason, cause: error})
    throw new UserError(`Failed to load configuration: ${reason}`, {cause: error})
  }

  if (!kube.tool) {
    throw new UserError(BECOME_HINT, {debugDetails: `kubeconfig ${kube.path}: namespace '${kube.namespace ?? ''}' is not a tool namespace (tool-<name>)`})
  }

  let ca: Buffer | undefined
  if (config.api_gateway.ca_file) {
    try {
      ca = readFileSync(config.api_gateway.ca_file)
    } catch (error) {
      throw new UserError(`Unable to read CA file ${config.api_gateway.ca_file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
    }
  }

  return {tool: kube.tool, config, kube, ca}
}

/** True when the private key can be read by group or others: worth a warning, never fatal. */
export function keyIsExposed(kube: Kubeconfig): boolean {
  if (!kube.keyFile) return false
  try {
    return (statSync(kube.keyFile).mode & 0o077) !== 0
  } catch {
    return false
  }
}

export function joinUrl(base: string, ...parts: string[]): string {
  let url = base.replace(/\/+$/, '')
  for (const part of parts) url += '/' + part.replace(/^\/+|\/+$/g, '')
  return url
}

export function userAgent(version: string, tool: string): string {
  return `toolforge-cli/${version} (${tool}@${hostname()})`
}

export type ClientHooks = Pick<HttpClientOptions, 'debug' | 'onMessages'>

/** One HTTP client per API, all built the same way: mTLS with the tool certificate, the tool's base path. */
export function createApiClient(
  ctx: ToolContext,
  api: {service: string; endpoint: string; timeoutSeconds: number; redactBodies?: boolean},
  version: string,
  hooks: ClientHooks = {},
): HttpClient {
  return new HttpClient({
    baseUrl: joinUrl(ctx.config.api_gateway.url, api.endpoint, 'tool', ctx.tool),
    userAgent: userAgent(version, ctx.tool),
    timeoutSeconds: api.timeoutSeconds,
    cert: ctx.kube.cert,
    key: ctx.kube.key,
    token: ctx.kube.token,
    ca: ctx.ca,
    service: api.service,
    redactBodies: api.redactBodies,
    retries: envInt('TOOLFORGE_RETRIES'),
    retryBaseMs: envInt('TOOLFORGE_RETRY_BASE_MS'),
    ...hooks,
  })
}

function envInt(name: string): number | undefined {
  const value = process.env[name]
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  return Number.isInteger(n) && n >= 0 ? n : undefined
}
