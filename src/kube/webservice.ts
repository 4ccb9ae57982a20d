// Objects of the `webservice` Kubernetes backend (kubernetes-objects.md §5, webservice.md §1.4, §2):
// the v0.98 Deployment/Service/Ingress and shell pod, plus what that version lacked and the platform now
// expects — the explicit securityContext of pod-security.md §1 (Q-K8S-08) and, since ingress-nginx was
// removed in 2026-04, an HTTPRoute instead of the Ingress.

import type {Container, Probe, ResourceRequirements} from 'kubernetes-types/core/v1.js'

import type {MountOption} from '../api/jobs-types.js'
import {DEFAULT_HARBOR_HOST, resolveWebserviceType, type WebserviceRunner} from './images.js'
import {toolHome} from './job-spec.js'
import {shellPodLabels, webserviceLabels} from './labels.js'
import {NO_HOME_ENV} from './pod-template.js'
import {compareDec, decToString, halve, parseQuantity} from './quantity.js'
import {containerSecurityContext, podSecurityContext} from './security-context.js'
import type {DeploymentObject, HTTPRouteObject, IngressObject, KubeObject, PodObject, ServiceObject} from './types.js'

export const WEBSERVICE_PORT = 8000
export const WEBSERVICE_CONTAINER_NAME = 'webservice'
export const DEFAULT_PUBLIC_DOMAIN = 'toolforge.org'

export interface WebserviceSpec {
  tool: string
  /** Webservice type as typed (`php7.4`, `python3.11`, `buildservice`). */
  type: string
  /** Full image URL with tag. */
  image: string
  /** image-config `wstype`; selects the webservice-runner type. Absent for buildservice images. */
  wstype?: WebserviceRunner
  buildservice: boolean
  /** Default resources profile of the type (`jdk` types get 1Gi). */
  resources?: 'default' | 'jdk'
  /** `--mem` / `--cpu`: limits, from which requests are derived. */
  mem?: string
  cpu?: string
  replicas?: number
  /** Appended to the runner command; the whole command for buildservice and shells. */
  extraArgs?: string[]
  /** `toolforge.org/mount-storage` on the pod; absent means volume-admission's default (`all`). */
  mount?: MountOption
  /** HTTP path for startup/liveness probes on the web port (none by default, like v0.98). */
  healthCheckPath?: string
  /** `public_domain` of /etc/toolforge/webservice.yaml. */
  publicDomain?: string
}

export interface WebserviceContext {
  uid: number
  now?: Date
  /** Ingress for the pre-2026-04 cluster, Gateway API HTTPRoute since. Default `gateway`. */
  routing?: 'ingress' | 'gateway'
}

const RUNNER_TYPE: Record<WebserviceRunner, string> = {
  lighttpd: 'lighttpd',
  'lighttpd-plain': 'lighttpd-plain',
  python: 'uwsgi-python',
  js: 'nodejs',
  generic: 'generic',
}

const DEFAULT_RESOURCES = {
  default: {limits: {memory: '512Mi', cpu: '0.5'}, requests: {memory: '256Mi', cpu: '0.125'}},
  jdk: {limits: {memory: '1Gi', cpu: '0.5'}, requests: {memory: '256Mi', cpu: '0.125'}},
} as const

export interface WebserviceSpecOptions extends Partial<Omit<WebserviceSpec, 'tool' | 'type' | 'image' | 'buildservice'>> {
  /** `--buildservice-image`, default `tool-<tool>/tool-<tool>:latest`. */
  buildserviceImage?: string
  /** `buildservice_repository` of webservice.yaml, default tools-harbor.wmcloud.org. */
  buildserviceRepository?: string
}

/** A spec for a type from the image catalogue or `buildservice`; undefined for unknown types. */
export function webserviceSpec(type: string, tool: string, opts: WebserviceSpecOptions = {}): WebserviceSpec | undefined {
  const {buildserviceImage, buildserviceRepository, ...rest} = opts
  if (type === 'buildservice') {
    const image = `${buildserviceRepository ?? DEFAULT_HARBOR_HOST}/${buildserviceImage ?? `tool-${tool}/tool-${tool}:latest`}`
    return {...rest, tool, type, image, buildservice: true}
  }
  const known = resolveWebserviceType(type)
  if (!known) return undefined
  return {resources: known.resources, ...rest, tool, type, image: known.image, wstype: known.wstype, buildservice: false}
}

/** Requests are the limit when it is small, else half of it as a plain Decimal (Q-K8S-07, Q-WS-11). */
function derivedRequest(limit: string, threshold: string): string {
  const value = parseQuantity(limit)
  return compareDec(value, parseQuantity(threshold)) < 0 ? limit : decToString(halve(value))
}

export function webserviceResources(spec: WebserviceSpec): ResourceRequirements {
  const defaults = DEFAULT_RESOURCES[spec.resources ?? 'default']
  const limits = {...defaults.limits} as Record<string, string>
  const requests = {...defaults.requests} as Record<string, string>
  if (spec.mem) {
    limits.memory = spec.mem
    requests.memory = derivedRequest(spec.mem, '256Mi')
  }
  if (spec.cpu) {
    limits.cpu = spec.cpu
    requests.cpu = derivedRequest(spec.cpu, '250m')
  }
  return {limits, requests}
}

function command(spec: WebserviceSpec): string[] | undefined {
  const extra = spec.extraArgs ?? []
  if (spec.buildservice || !spec.wstype) return extra.length > 0 ? [...extra] : undefined
  return ['/usr/bin/webservice-runner', '--type', RUNNER_TYPE[spec.wstype], '--port', String(WEBSERVICE_PORT), ...extra]
}

function probes(path: string | undefined): Pick<Container, 'startupProbe' | 'livenessProbe'> | undefined {
  if (!path) return undefined
  const httpGet = {path, port: WEBSERVICE_PORT}
  const startupProbe: Probe = {initialDelaySeconds: 0, periodSeconds: 1, failureThreshold: 120, timeoutSeconds: 5, httpGet}
  const livenessProbe: Probe = {initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5, httpGet}
  return {startupProbe, livenessProbe}
}

/** `datetime.utcnow().isoformat()`: naive UTC, microseconds only when non-zero (Q-K8S-11). */
export function pythonUtcIsoformat(date: Date): string {
  const base = date.toISOString().slice(0, 19)
  const ms = date.getUTCMilliseconds()
  return ms === 0 ? base : `${base}.${String(ms * 1000).padStart(6, '0')}`
}

function webContainer(spec: WebserviceSpec, uid: number): Container {
  const container: Container = {
    name: WEBSERVICE_CONTAINER_NAME,
    image: spec.image,
    ports: [{name: 'http', containerPort: WEBSERVICE_PORT, protocol: 'TCP'}],
    resources: webserviceResources(spec),
    tty: false,
    stdin: false,
  }
  const cmd = command(spec)
  if (cmd) container.command = cmd
  if (spec.buildservice) {
    container.env = [{name: 'PORT', value: String(WEBSERVICE_PORT)}, {...NO_HOME_ENV}]
  } else {
    container.workingDir = `${toolHome(spec.tool)}/`
  }
  container.securityContext = containerSecurityContext(uid)
  return Object.assign(container, probes(spec.healthCheckPath))
}

export function buildWebserviceDeployment(spec: WebserviceSpec, ctx: WebserviceContext): DeploymentObject {
  const labels = webserviceLabels(spec.tool)
  const podLabels = spec.mount ? {...labels, 'toolforge.org/mount-storage': spec.mount} : {...labels}
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: {name: spec.tool, namespace: `tool-${spec.tool}`, labels},
    spec: {
      replicas: spec.replicas ?? 1,
      selector: {matchLabels: {...labels}},
      template: {
        metadata: {
          labels: podLabels,
          annotations: {'toolforge.org/started-at': pythonUtcIsoformat(ctx.now ?? new Date())},
        },
        spec: {
          securityContext: podSecurityContext(ctx.uid),
          containers: [webContainer(spec, ctx.uid)],
        },
      },
    },
  }
}

export function buildWebserviceService(spec: WebserviceSpec): ServiceObject {
  return {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: {name: spec.tool, namespace: `tool-${spec.tool}`, labels: webserviceLabels(spec.tool)},
    spec: {
      ports: [{name: 'http', protocol: 'TCP', port: WEBSERVICE_PORT, targetPort: WEBSERVICE_PORT}],
      selector: {name: spec.tool},
    },
  }
}

function host(spec: WebserviceSpec): string {
  return `${spec.tool}.${spec.publicDomain ?? DEFAULT_PUBLIC_DOMAIN}`
}

export function buildWebserviceIngress(spec: WebserviceSpec): IngressObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {name: `${spec.tool}-subdomain`, namespace: `tool-${spec.tool}`, labels: webserviceLabels(spec.tool)},
    spec: {
      rules: [
        {
          host: host(spec),
          http: {
            paths: [
              {path: '/', pathType: 'Prefix', backend: {service: {name: spec.tool, port: {number: WEBSERVICE_PORT}}}},
            ],
          },
        },
      ],
    },
  }
}

/** The Gateway-era route: same name and labels as the Ingress it replaces, shape of jobs-api's routes. */
export function buildWebserviceHTTPRoute(spec: WebserviceSpec): HTTPRouteObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {name: `${spec.tool}-subdomain`, namespace: `tool-${spec.tool}`, labels: webserviceLabels(spec.tool)},
    spec: {
      parentRefs: [{namespace: 'istio-gateway', name: 'toolforge'}],
      hostnames: [host(spec)],
      rules: [{backendRefs: [{name: spec.tool, port: WEBSERVICE_PORT}]}],
    },
  }
}

/** In creation order (`request_start`): Deployment, Service, then the Ingress or HTTPRoute. */
export function buildWebserviceObjects(spec: WebserviceSpec, ctx: WebserviceContext): KubeObject[] {
  const route = (ctx.routing ?? 'gateway') === 'ingress' ? buildWebserviceIngress(spec) : buildWebserviceHTTPRoute(spec)
  return [buildWebserviceDeployment(spec, ctx), buildWebserviceService(spec), route]
}

/** The `webservice shell` pod passed to `kubectl run --overrides` (§5.5), named `shell-<unix time>`. */
export function buildShellPod(spec: WebserviceSpec, ctx: WebserviceContext): PodObject {
  const name = `shell-${Math.floor((ctx.now ?? new Date()).getTime() / 1000)}`
  const extra = spec.extraArgs ?? []
  const container: Container = {
    name,
    image: spec.image,
    resources: webserviceResources(spec),
    tty: true,
    stdin: true,
    command: extra.length > 0 ? [...extra] : ['/bin/bash', '-il'],
  }
  if (spec.buildservice) container.env = [{...NO_HOME_ENV}]
  else container.workingDir = `${toolHome(spec.tool)}/`
  container.securityContext = containerSecurityContext(ctx.uid)
  const labels = shellPodLabels(name)
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {namespace: `tool-${spec.tool}`, name, labels: spec.mount ? {...labels, 'toolforge.org/mount-storage': spec.mount} : labels},
    spec: {securityContext: podSecurityContext(ctx.uid), containers: [container]},
  }
}
