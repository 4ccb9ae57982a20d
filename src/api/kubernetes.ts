// A small Kubernetes API client for the webservice backend, built on the shared HTTP core (mTLS with the
// tool's kubeconfig credentials, timeouts, error mapping: a `Status` body's `message` becomes the error
// text, so admission denials are shown verbatim). Deliberately not @kubernetes/client-node: it weighs
// ~54 MB, takes far longer to import than the whole CLI, and its 2.x line breaks on Node 20 — we need
// a dozen calls on seven resource kinds.

import type {Readable} from 'node:stream'
import type {ClientOptions} from 'ws'

import {UserError} from './errors.js'
import {HttpClient, type HttpClientOptions} from './http.js'

export type Resource = 'pods' | 'services' | 'deployments' | 'replicasets' | 'ingresses' | 'httproutes' | 'configmaps'

const API_PREFIX: Record<Resource, string> = {
  pods: '/api/v1',
  configmaps: '/api/v1',
  services: '/api/v1',
  deployments: '/apis/apps/v1',
  replicasets: '/apis/apps/v1',
  ingresses: '/apis/networking.k8s.io/v1',
  httproutes: '/apis/gateway.networking.k8s.io/v1',
}

const RESOURCE_OF_KIND: Record<string, Resource> = {
  Pod: 'pods',
  Service: 'services',
  Deployment: 'deployments',
  ReplicaSet: 'replicasets',
  Ingress: 'ingresses',
  HTTPRoute: 'httproutes',
}

export interface KubeObjectLike {
  kind?: string
  metadata?: {name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; deletionTimestamp?: string}
}

export interface ConfigMapLike extends KubeObjectLike {
  data?: Record<string, string>
}

export interface KubernetesConnection {
  server: string
  namespace: string
  userAgent: string
  cert?: Buffer
  key?: Buffer
  token?: string
  ca?: Buffer
  /** Where `ca` comes from, named when it rejects the API server's certificate. */
  caSource?: string
  timeoutSeconds?: number
}

export function resourceOf(kind: string | undefined): Resource {
  const resource = kind ? RESOURCE_OF_KIND[kind] : undefined
  if (!resource) throw new Error(`no Kubernetes resource for kind ${kind ?? '(none)'}`)
  return resource
}

export function isStatus(error: unknown, status: number): boolean {
  return typeof error === 'object' && error !== null && (error as {status?: number}).status === status
}

export class KubernetesClient {
  readonly http: HttpClient

  constructor(
    readonly connection: KubernetesConnection,
    hooks: Pick<HttpClientOptions, 'debug' | 'retries' | 'retryBaseMs' | 'connectTimeoutSeconds'> = {},
  ) {
    this.http = new HttpClient({
      baseUrl: connection.server,
      userAgent: connection.userAgent,
      timeoutSeconds: connection.timeoutSeconds ?? 20,
      cert: connection.cert,
      key: connection.key,
      token: connection.token,
      ca: connection.ca,
      caSource: connection.caSource,
      service: 'Kubernetes API',
      ...hooks,
    })
  }

  get namespace(): string {
    return this.connection.namespace
  }

  /** A path in the tool's namespace, where everything the tool owns lives. */
  path(resource: Resource, name?: string, sub?: string): string {
    return this.pathIn(this.namespace, resource, name, sub)
  }

  private pathIn(namespace: string, resource: Resource, name?: string, sub?: string): string {
    let path = `${API_PREFIX[resource]}/namespaces/${encodeURIComponent(namespace)}/${resource}`
    if (name !== undefined) path += `/${encodeURIComponent(name)}`
    if (sub !== undefined) path += `/${sub}`
    return path
  }

  async list<T extends KubeObjectLike>(resource: Resource, labelSelector: string): Promise<T[]> {
    const body = await this.http.get<{items?: T[]}>(this.path(resource), {params: {labelSelector}})
    return Array.isArray(body.items) ? body.items : []
  }

  /** The object, or undefined when it does not exist. */
  async get<T extends KubeObjectLike>(resource: Resource, name: string): Promise<T | undefined> {
    try {
      return await this.http.get<T>(this.path(resource, name))
    } catch (error) {
      if (isStatus(error, 404)) return undefined
      throw error
    }
  }

  /**
   * A ConfigMap of any namespace the credentials may read: the platform publishes settings for every
   * tool in namespaces of its own (tf-public). Unlike get(), a missing one is an error like any other.
   */
  configMap(namespace: string, name: string): Promise<ConfigMapLike> {
    return this.http.get<ConfigMapLike>(this.pathIn(namespace, 'configmaps', name))
  }

  create<T extends KubeObjectLike>(obj: T): Promise<T> {
    return this.http.post<T>(this.path(resourceOf(obj.kind)), obj)
  }

  replace<T extends KubeObjectLike>(obj: T): Promise<T> {
    const name = obj.metadata?.name
    if (!name) throw new Error('cannot replace an object without a name')
    return this.http.request<T>('put', this.path(resourceOf(obj.kind), name), {body: obj})
  }

  /** Delete one object; already gone is fine. */
  async delete(resource: Resource, name: string): Promise<void> {
    try {
      await this.http.delete(this.path(resource, name))
    } catch (error) {
      if (!isStatus(error, 404)) throw error
    }
  }

  async deleteCollection(resource: Resource, labelSelector: string): Promise<void> {
    await this.http.delete(this.path(resource), {params: {labelSelector}})
  }

  /** Plain-text log of one container; no timeout when following. */
  podLog(name: string, opts: {container?: string; follow?: boolean; tailLines?: number; timestamps?: boolean}): Promise<Readable> {
    return this.http.stream(this.path('pods', name, 'log'), {
      params: {
        container: opts.container,
        follow: opts.follow ?? false,
        pretty: true,
        timestamps: opts.timestamps ?? true,
        tailLines: opts.tailLines,
      },
      timeoutSeconds: opts.follow ? 0 : undefined,
    })
  }

  /** wss:// URL of a pod's attach (or exec) endpoint. */
  streamUrl(pod: string, sub: 'attach' | 'exec', params: Record<string, string | boolean>): string {
    const url = new URL(this.path('pods', pod, sub), this.connection.server.replace(/^http/, 'ws'))
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, String(value))
    return url.toString()
  }

  /** TLS and auth for a websocket to the API server: the same credentials as every other call. */
  websocketOptions(): ClientOptions {
    const {cert, key, ca, token, userAgent} = this.connection
    const headers: Record<string, string> = {'User-Agent': userAgent}
    if (token) headers.Authorization = `Bearer ${token}`
    return {cert, key, ca, rejectUnauthorized: ca !== undefined, headers, handshakeTimeout: (this.connection.timeoutSeconds ?? 20) * 1000}
  }
}

export function kubernetesConnection(
  kube: {server?: string; namespace?: string; cert?: Buffer; key?: Buffer; token?: string; ca?: Buffer; caFile?: string; path: string},
  userAgent: string,
): KubernetesConnection {
  if (!kube.server) throw new UserError(`Invalid kubeconfig ${kube.path}: the current context's cluster has no server`)
  if (!kube.namespace) throw new UserError(`Invalid kubeconfig ${kube.path}: the current context has no namespace`)
  // The gateway's CA settings play no part here: the kubeconfig's own CA verifies the API server.
  const where = kube.caFile ? `${kube.caFile}, named in ${kube.path}` : `certificate-authority-data in ${kube.path}`
  const caSource = `the kubeconfig's certificate-authority (${where})`
  return {server: kube.server, namespace: kube.namespace, userAgent, cert: kube.cert, key: kube.key, token: kube.token, ca: kube.ca, caSource}
}
