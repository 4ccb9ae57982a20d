import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'

export const K8S = 'https://k8s.example.test:6443'
export const NS = '/namespaces/tool-mytool'
export const CORE = `/api/v1${NS}`
export const APPS = `/apis/apps/v1${NS}`
export const ROUTES = `/apis/gateway.networking.k8s.io/v1${NS}`
export const INGRESSES = `/apis/networking.k8s.io/v1${NS}`
export const WEB_SELECTOR = 'app.kubernetes.io/component=web,app.kubernetes.io/managed-by=webservice'
export const FIXTURES = fileURLToPath(new URL('../fixtures/webservice/', import.meta.url))

export interface WebserviceEnv extends ToolEnv {
  manifestPath: string
  readManifest(): string
  writeManifest(text: string): void
  /** Create files or directories (trailing slash) under the tool home. */
  touch(...paths: string[]): void
  write(path: string, text: string): void
}

/**
 * A tool home for webservice tests: the kubeconfig and certificate of makeToolEnv, and
 * /etc/toolforge/webservice.yaml redirected into the home (absent unless a test writes it).
 */
export function makeWebserviceEnv(opts: {webserviceYaml?: string} = {}): WebserviceEnv {
  const base = makeToolEnv()
  const configPath = join(base.home, 'webservice.yaml')
  if (opts.webserviceYaml !== undefined) writeFileSync(configPath, opts.webserviceYaml)
  const saved = process.env.TOOLFORGE_WEBSERVICE_CONFIG
  process.env.TOOLFORGE_WEBSERVICE_CONFIG = configPath
  const manifestPath = join(base.home, 'service.manifest')
  return {
    ...base,
    manifestPath,
    readManifest: () => readFileSync(manifestPath, 'utf8'),
    writeManifest: (text) => writeFileSync(manifestPath, text),
    touch(...paths) {
      for (const path of paths) {
        const full = join(base.home, path)
        if (path.endsWith('/')) mkdirSync(full, {recursive: true})
        else {
          mkdirSync(join(full, '..'), {recursive: true})
          writeFileSync(full, '')
        }
      }
    },
    write(path, text) {
      const full = join(base.home, path)
      mkdirSync(join(full, '..'), {recursive: true})
      writeFileSync(full, text)
    },
    restore() {
      if (saved === undefined) delete process.env.TOOLFORGE_WEBSERVICE_CONFIG
      else process.env.TOOLFORGE_WEBSERVICE_CONFIG = saved
      base.restore()
    },
  }
}

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8')
}

export function runningPod(name: string, opts: {annotations?: Record<string, string>; container?: string; phase?: string} = {}) {
  return {
    kind: 'Pod',
    metadata: {name, labels: {name: 'mytool'}, annotations: opts.annotations ?? {}},
    spec: {containers: [{name: opts.container ?? 'webservice', image: 'docker-registry.tools.wmflabs.org/toolforge-php74-sssd-web:latest'}]},
    status: {phase: opts.phase ?? 'Running'},
  }
}

export function deployment(image = 'docker-registry.tools.wmflabs.org/toolforge-php74-sssd-web:latest') {
  return {kind: 'Deployment', metadata: {name: 'mytool'}, spec: {template: {spec: {containers: [{name: 'webservice', image}]}}}}
}

export const list = (items: unknown[]) => ({kind: 'List', items})
