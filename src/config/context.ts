import {existsSync, readFileSync, statSync} from 'node:fs'
import {homedir, hostname} from 'node:os'

import {UserError} from '../api/errors.js'
import {HttpClient, type HttpClientOptions} from '../api/http.js'
import {type ApiName, CLIENT_NAMES, ETC_DIR, type GatewayConfig, loadConfig, type ToolforgeConfig} from './files.js'
import {type Kubeconfig, kubeconfigPath, loadKubeconfig} from './kubeconfig.js'

export interface ToolContext {
  tool: string
  config: ToolforgeConfig
  kube: Kubeconfig
  /** The CA of `config.api_gateway`; an API whose own client file names another CA reads that one. */
  ca?: Buffer
}

export const BECOME_HINT = "Failed to load configuration, did you forget to run 'become <mytool>'?"

/**
 * Tool identity and credentials for the API clients. A missing kubeconfig or a non-tool namespace becomes
 * the upstream hint (FR-JOBS-01), with the underlying reason kept for --debug instead of a traceback
 * (Q-AUTH-02); a kubeconfig or config file that exists but is broken is named in the message.
 */
export function loadToolContext(env: NodeJS.ProcessEnv = process.env, etcDir = ETC_DIR): ToolContext {
  // A broken config file is named as such: it has nothing to do with `become`.
  const config: ToolforgeConfig = loadConfig(env, homedir(), etcDir)
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

  return {tool: kube.tool, config, kube, ca: readCa(config.api_gateway)}
}

function readCa(gateway: GatewayConfig): Buffer | undefined {
  if (!gateway.ca_file) return undefined
  try {
    return readFileSync(gateway.ca_file)
  } catch (error) {
    throw new UserError(`Unable to read CA file ${gateway.ca_file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
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

export type UserAgentClient = 'jobs-cli' | 'builds-cli' | 'envvars-cli' | 'webservice'

/**
 * The upstream client part (config-auth.md §5), by which gateway operators count clients, then ours
 * in place of weld's. Without a client it is the webservice Kubernetes client's, the one caller that
 * names none; that part carries no tool.
 */
export function userAgent(version: string, tool: string, client: UserAgentClient = 'webservice'): string {
  const part = client === 'webservice' ? client : `tool-${tool}@${hostname()}:${client}`
  return `${part} toolforge/${version}`
}

export type ClientHooks = Pick<HttpClientOptions, 'debug' | 'onMessages'>

const USER_AGENT_CLIENT: Readonly<Record<ApiName, UserAgentClient>> = {jobs: 'jobs-cli', builds: 'builds-cli', envvars: 'envvars-cli'}

/** How an API is named in messages ("The build service seems to be down"), and its configured endpoint and timeout. */
function apiSettings(config: ToolforgeConfig, api: ApiName): {service: string; endpoint: string; timeoutSeconds: number; redactBodies?: boolean} {
  switch (api) {
    case 'jobs': {
      return {service: 'jobs', endpoint: config.jobs.jobs_endpoint, timeoutSeconds: config.jobs.timeout}
    }

    case 'builds': {
      return {service: 'build', endpoint: config.builds.builds_endpoint, timeoutSeconds: config.builds.timeout}
    }

    case 'envvars': {
      // Its bodies carry secret values: never traced.
      return {service: 'envvars', endpoint: config.envvars.envvars_endpoint, timeoutSeconds: config.envvars.timeout, redactBodies: true}
    }
  }
}

/**
 * One HTTP client per API, all built the same way: mTLS with the tool certificate, the tool's base
 * path, and the gateway, endpoint and timeout from that API's own configuration files (only those of
 * this API are read). `maxTimeoutSeconds` caps the configured timeout.
 */
export function createApiClient(ctx: ToolContext, api: ApiName, version: string, hooks: ClientHooks = {}, opts: {maxTimeoutSeconds?: number} = {}): HttpClient {
  const settings = apiSettings(ctx.config, api)
  const gateway = ctx.config.clients[api].api_gateway
  const ca = gateway.ca_file === ctx.config.api_gateway.ca_file ? ctx.ca : readCa(gateway)
  // Only a client file can name a CA the shared files do not; --debug has just said "no CA configured".
  if (ca !== ctx.ca) hooks.debug?.(`${settings.service} API: server certificate verified against ${gateway.ca_file} (api_gateway.ca_file in ${CLIENT_NAMES[api]}.yaml)`)

  return new HttpClient({
    baseUrl: joinUrl(gateway.url, settings.endpoint, 'tool', ctx.tool),
    userAgent: userAgent(version, ctx.tool, USER_AGENT_CLIENT[api]),
    timeoutSeconds: opts.maxTimeoutSeconds === undefined ? settings.timeoutSeconds : Math.min(settings.timeoutSeconds, opts.maxTimeoutSeconds),
    cert: ctx.kube.cert,
    key: ctx.kube.key,
    token: ctx.kube.token,
    ca,
    service: settings.service,
    redactBodies: settings.redactBodies,
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
