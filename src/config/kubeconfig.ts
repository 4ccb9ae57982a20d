import {readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, isAbsolute, join, resolve} from 'node:path'
import {parse as parseYaml} from 'yaml'

import {UserError} from '../api/errors.js'

export interface Kubeconfig {
  path: string
  server?: string
  namespace?: string
  /** Tool name: the namespace minus `tool-`. */
  tool?: string
  cert?: Buffer
  key?: Buffer
  /** Where the key came from, to warn about loose file permissions. */
  keyFile?: string
  token?: string
  ca?: Buffer
  /** The certificate-authority file, when the CA is not inline: named when it rejects the server. */
  caFile?: string
}

type Entry = Record<string, unknown>

function named(list: unknown, name: unknown, field: string): Entry | undefined {
  if (!Array.isArray(list)) return undefined
  const item = list.find((e) => e && typeof e === 'object' && (e as Entry).name === name) as Entry | undefined
  const value = item?.[field]
  return value && typeof value === 'object' ? (value as Entry) : undefined
}

export function kubeconfigPath(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  // $KUBECONFIG may list several files; like weld we use the first one.
  const fromEnv = env.KUBECONFIG?.split(':').find(Boolean)
  return fromEnv ?? join(home, '.kube', 'config')
}

/** Inline `-data` fields hold base64 PEM; weld also accepts raw PEM there, so do we. */
function decodeInline(value: unknown, field: string, path: string): Buffer {
  if (typeof value !== 'string' || value.trim() === '') throw new UserError(`Invalid kubeconfig ${path}: ${field} is empty`)
  if (value.includes('-----BEGIN')) return Buffer.from(value)
  const compact = value.replaceAll(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new UserError(`Invalid kubeconfig ${path}: ${field} is not base64`)
  const decoded = Buffer.from(compact, 'base64')
  if (!decoded.includes('-----BEGIN')) throw new UserError(`Invalid kubeconfig ${path}: ${field} does not contain a PEM block`)
  return decoded
}

function readRelative(file: unknown, field: string, path: string): {data: Buffer; file: string} {
  if (typeof file !== 'string' || file === '') throw new UserError(`Invalid kubeconfig ${path}: ${field} is empty`)
  // maintain-kubeusers writes paths relative to the kubeconfig's own folder (config-auth.md §4.1).
  const full = isAbsolute(file) ? file : resolve(dirname(path), file)
  try {
    return {data: readFileSync(full), file: full}
  } catch (error) {
    throw new UserError(`Unable to read ${field} ${full} (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
}

export function loadKubeconfig(env: NodeJS.ProcessEnv = process.env, home = homedir()): Kubeconfig {
  const path = kubeconfigPath(env, home)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new UserError(`Unable to read kubeconfig ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }

  let doc: unknown
  try {
    // `<<: *anchor` merge keys are YAML 1.1, which kubectl (go-yaml) and PyYAML read; yaml's 1.2 default would not.
    doc = parseYaml(text, {maxAliasCount: 100, merge: true})
  } catch {
    throw new UserError(`Unable to parse kubeconfig ${path}`)
  }

  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new UserError(`Invalid kubeconfig ${path}: not a mapping`)
  const root = doc as Entry
  const currentContext = root['current-context']
  if (typeof currentContext !== 'string' || currentContext === '') throw new UserError(`Invalid kubeconfig ${path}: no current-context`)
  const context = named(root.contexts, currentContext, 'context')
  if (!context) throw new UserError(`Invalid kubeconfig ${path}: context '${currentContext}' not found`)

  const cluster = named(root.clusters, context.cluster, 'cluster') ?? {}
  const user = named(root.users, context.user, 'user') ?? {}
  const namespace = typeof context.namespace === 'string' ? context.namespace : undefined
  const result: Kubeconfig = {
    path,
    server: typeof cluster.server === 'string' ? cluster.server : undefined,
    namespace,
    tool: namespace?.startsWith('tool-') ? namespace.slice('tool-'.length) : undefined,
  }

  if (cluster['certificate-authority-data'] !== undefined) {
    result.ca = decodeInline(cluster['certificate-authority-data'], 'certificate-authority-data', path)
  } else if (cluster['certificate-authority'] !== undefined) {
    const {data, file} = readRelative(cluster['certificate-authority'], 'certificate-authority', path)
    result.ca = data
    result.caFile = file
  }

  if (user['client-certificate-data'] !== undefined) result.cert = decodeInline(user['client-certificate-data'], 'client-certificate-data', path)
  else if (user['client-certificate'] !== undefined) result.cert = readRelative(user['client-certificate'], 'client-certificate', path).data

  if (user['client-key-data'] !== undefined) result.key = decodeInline(user['client-key-data'], 'client-key-data', path)
  else if (user['client-key'] !== undefined) {
    const {data, file} = readRelative(user['client-key'], 'client-key', path)
    result.key = data
    result.keyFile = file
  }

  if (typeof user.token === 'string' && user.token !== '') result.token = user.token
  if (!result.token && !(result.cert && result.key)) {
    throw new UserError(
      'Either token or both client-cert and client-key (containing both paths, or cert contents) must be provided in the kubeconfig.',
    )
  }

  return result
}
