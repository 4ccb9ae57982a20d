import {chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))
export const API = 'https://api.example.test:30003'
export const JOBS = '/jobs/v1/tool/mytool'

export interface ToolEnv {
  home: string
  env: Record<string, string>
  restore(): void
}

/**
 * A fake tool account like maintain-kubeusers creates: ~/.kube/config with relative certificate
 * paths and ~/.toolskube/client.{crt,key}. Applies the environment to process.env until restore().
 */
export function makeToolEnv(opts: {tool?: string; apiUrl?: string; extraEnv?: Record<string, string>; config?: string} = {}): ToolEnv {
  const tool = opts.tool ?? 'mytool'
  const home = mkdtempSync(join(tmpdir(), 'tf-home-'))
  mkdirSync(join(home, '.kube'))
  mkdirSync(join(home, '.toolskube'))
  copyFileSync(join(FIXTURES, 'certs/client.crt'), join(home, '.toolskube/client.crt'))
  copyFileSync(join(FIXTURES, 'certs/client.key'), join(home, '.toolskube/client.key'))
  // As maintain-kubeusers writes it; a checkout gives the fixture 0644, which the CLI warns about.
  chmodSync(join(home, '.toolskube/client.key'), 0o600)
  writeFileSync(
    join(home, '.kube/config'),
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: toolforge',
      'clusters:',
      '- name: toolforge',
      '  cluster: {server: "https://k8s.example.test:6443"}',
      'contexts:',
      '- name: toolforge',
      `  context: {cluster: toolforge, namespace: tool-${tool}, user: tf-${tool}}`,
      'users:',
      `- name: tf-${tool}`,
      '  user: {client-certificate: ../.toolskube/client.crt, client-key: ../.toolskube/client.key}',
      '',
    ].join('\n'),
    {mode: 0o600},
  )
  if (opts.config) writeFileSync(join(home, '.toolforge.yaml'), opts.config)
  const env: Record<string, string> = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    TOOL_TOOLFORGE_API_URL: opts.apiUrl ?? API,
    ...opts.extraEnv,
  }
  const saved: Record<string, string | undefined> = {}
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key]
    process.env[key] = value
  }

  return {
    home,
    env,
    restore() {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key]
        else process.env[key] = value
      }

      rmSync(home, {recursive: true, force: true})
    },
  }
}
