import nock from 'nock'

import {makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'
import {type FaultServer, startFaultServer} from './fault-server.js'

export const JOBS = '/jobs/v1/tool/mytool'
export const BUILDS = '/builds/v1/tool/mytool'
export const ENVVARS = '/envvars/v1/tool/mytool'

/** A tool kubeconfig for mytool whose user entry is `user` (a YAML flow mapping: cert files, inline data, a token). */
export function kubeconfig(user: string): string {
  return [
    'apiVersion: v1',
    'current-context: toolforge',
    'clusters: [{name: toolforge, cluster: {server: "https://k8s.example.test:6443"}}]',
    'contexts: [{name: toolforge, context: {cluster: toolforge, namespace: tool-mytool, user: tf-mytool}}]',
    `users: [{name: tf-mytool, user: ${user}}]`,
    '',
  ].join('\n')
}

export interface FaultEnv {
  server: FaultServer
  tool: ToolEnv
  close(): Promise<void>
}

/** A tool account whose API gateway is a fault server on loopback. */
export async function faultEnv(opts: {config?: string; extraEnv?: Record<string, string>; tls?: {cert: string; key: string}} = {}): Promise<FaultEnv> {
  nock.enableNetConnect('127.0.0.1')
  const server = await startFaultServer({tls: opts.tls})
  const tool = makeToolEnv({apiUrl: server.url, config: opts.config, extraEnv: opts.extraEnv})
  return {
    server,
    tool,
    async close() {
      tool.restore()
      await server.close()
      nock.disableNetConnect()
    },
  }
}

export const job = (name: string, extra: Record<string, unknown> = {}) => ({
  name, cmd: './run.sh', imagename: 'bookworm', job_type: 'one-off', status_short: 'Running', ...extra,
})

export const withEnv = async <T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> => {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]))
  Object.assign(process.env, vars)
  try {
    return await fn()
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}
