// The `kubernetes` backend: upstream's objects (kubernetes-objects.md §5) with the explicit securityContext
// of pod-security.md §1, checked against the pod policy before anything is sent, created in the tool's
// namespace with the tool's own credentials, in upstream's order.

import {createInterface} from 'node:readline'

import {UserError} from '../api/errors.js'
import {isStatus, type KubeObjectLike, type KubernetesClient, resourceOf} from '../api/kubernetes.js'
import {checkPolicy, formatViolation} from '../kube/policy.js'
import type {KubeObject} from '../kube/types.js'
import {buildWebserviceDeployment, buildWebserviceObjects, WEBSERVICE_CONTAINER_NAME} from '../kube/webservice.js'
import {type Backend, type LogLine, type LogOptions, type Status, upstreamTime} from './backend.js'
import type {Resolved} from './resolve.js'
import {kubeSpec} from './spec.js'
import {EMBEDDED_TYPES, type TypeTable, typeOfImage} from './wstypes.js'

/** `webservice_label_selector`: finds and deletes every webservice object (kubernetes-objects.md §1.2). */
export const WEB_SELECTOR = 'app.kubernetes.io/component=web,app.kubernetes.io/managed-by=webservice'
export const STARTED_AT = 'toolforge.org/started-at'

interface PodLike extends KubeObjectLike {
  spec?: {containers?: Array<{name?: string; image?: string}>}
  status?: {phase?: string}
}

interface DeploymentLike extends KubeObjectLike {
  spec?: {template?: {spec?: {containers?: Array<{name?: string; image?: string}>}}}
}

export interface KubeBackendOptions {
  tool: string
  /** The tool's uid, looked up only when objects are generated. */
  uid: () => Promise<number>
  now?: () => Date
  /** To name the deployed type; default: the catalogue built into the CLI. */
  types?: TypeTable
}

const live = <T extends KubeObjectLike>(items: T[]) => items.filter((item) => !item.metadata?.deletionTimestamp)

/** Every policy violation of `objects`, as one error listing them all. */
export function enforcePolicy(objects: readonly KubeObject[], tool: string, uid: number): void {
  const lines: string[] = []
  for (const obj of objects) {
    for (const violation of checkPolicy(obj, {tool, uid})) lines.push(`  ${obj.kind} ${obj.metadata.name}: ${formatViolation(violation)}`)
  }
  if (lines.length > 0) {
    throw new UserError('The webservice objects do not comply with the Toolforge pod policy; nothing was sent:', {details: lines.join('\n')})
  }
}

export class KubernetesBackend implements Backend {
  readonly name = 'kubernetes' as const

  constructor(
    private readonly client: KubernetesClient,
    private readonly opts: KubeBackendOptions,
  ) {}

  private now(): Date {
    return this.opts.now?.() ?? new Date()
  }

  async objects(resolved: Resolved, now = this.now()): Promise<KubeObject[]> {
    const uid = await this.opts.uid()
    const objects = buildWebserviceObjects(kubeSpec(resolved), {uid, now, routing: resolved.config.routing})
    enforcePolicy(objects, this.opts.tool, uid)
    return objects
  }

  async plan(resolved: Resolved): Promise<unknown[]> {
    return this.objects(resolved)
  }

  async status(): Promise<Status> {
    const pods = live(await this.client.list<PodLike>('pods', WEB_SELECTOR))
    const deployments = live(await this.client.list<DeploymentLike>('deployments', WEB_SELECTOR))
    const type = deployments.length === 1 ? this.deployedType(deployments[0]) : undefined
    if (pods.some((pod) => pod.status?.phase === 'Running')) return {state: 'running', type}
    if (pods.some((pod) => pod.status?.phase === 'Pending')) return {state: 'pending', type}
    if (deployments.length === 1) {
      const services = live(await this.client.list('services', WEB_SELECTOR))
      if (services.length > 0) return {state: 'pending', type}
    }
    return {state: 'stopped'}
  }

  /** `request_start`: each object unless one of its kind already exists. */
  async start(resolved: Resolved): Promise<void> {
    for (const obj of await this.objects(resolved)) {
      const resource = resourceOf(obj.kind)
      const existing = live(await this.client.list(resource, WEB_SELECTOR))
      if (existing.length > 0) continue
      await this.create(obj)
    }
  }

  private async create(obj: KubeObject): Promise<void> {
    try {
      await this.client.create(obj)
    } catch (error) {
      if (isStatus(error, 409)) {
        throw new UserError((error as Error).message, {
          details: `A ${obj.kind} named '${obj.metadata.name}' that webservice did not create is in the way; delete it or rename it, then start again.`,
        })
      }
      throw error
    }
  }

  /** Upstream's stop order: routes, services (one by one), deployments, replica sets, pods. */
  async stop(): Promise<void> {
    for (const resource of ['ingresses', 'httproutes'] as const) {
      try {
        await this.client.deleteCollection(resource, WEB_SELECTOR)
      } catch (error) {
        // A cluster without the Gateway API (or, one day, without Ingress) has nothing of that kind to delete.
        if (!isStatus(error, 404)) throw error
      }
    }
    for (const service of await this.client.list('services', WEB_SELECTOR)) {
      if (service.metadata?.name) await this.client.delete('services', service.metadata.name)
    }
    await this.client.deleteCollection('deployments', WEB_SELECTOR)
    await this.client.deleteCollection('replicasets', `name=${this.opts.tool}`)
    await this.client.deleteCollection('pods', WEB_SELECTOR)
  }

  /** Replace the Deployment with a new `started-at`; the new pods prove the restart. */
  async restart(resolved: Resolved): Promise<() => Promise<Status>> {
    const uid = await this.opts.uid()
    const deployment = buildWebserviceDeployment(kubeSpec(resolved), {uid, now: this.now()})
    enforcePolicy([deployment], this.opts.tool, uid)
    try {
      await this.client.replace(deployment)
    } catch (error) {
      if (!isStatus(error, 404)) throw error
      await this.create(deployment)
    }
    const startedAt = deployment.spec.template.metadata?.annotations?.[STARTED_AT]
    return async () => {
      const pods = live(await this.client.list<PodLike>('pods', WEB_SELECTOR))
      const renewed = pods.some((pod) => pod.status?.phase === 'Running' && pod.metadata?.annotations?.[STARTED_AT] === startedAt)
      return {state: renewed ? 'running' : 'pending'}
    }
  }

  private deployedType(deployment: DeploymentLike): string | undefined {
    const image = deployment.spec?.template?.spec?.containers?.[0]?.image
    return image ? typeOfImage(this.opts.types ?? EMBEDDED_TYPES, image, this.opts.tool) : undefined
  }

  async logs(opts: LogOptions, line: (entry: LogLine) => void): Promise<void> {
    const pods = live(await this.client.list<PodLike>('pods', WEB_SELECTOR))
    const readPod = async (pod: PodLike) => {
      const name = pod.metadata?.name ?? ''
      const container = pod.spec?.containers?.[0]?.name
      // Upstream printed only the `webservice` container's entries (kubernetes-objects.md §5.1).
      if (!name || container !== WEBSERVICE_CONTAINER_NAME) return
      const stream = await this.client.podLog(name, {container, follow: opts.follow, tailLines: opts.last, timestamps: true})
      for await (const text of createInterface({input: stream, crlfDelay: Number.POSITIVE_INFINITY})) {
        const space = text.indexOf(' ')
        const [stamp, message] = space === -1 ? [text, ''] : [text.slice(0, space), text.slice(space + 1)]
        line({datetime: upstreamTime(stamp), pod: name, container, message})
      }
    }
    // Following one pod after another would never reach the second; upstream read them in turn.
    if (opts.follow) await Promise.all(pods.map(readPod))
    else for (const pod of pods) await readPod(pod)
  }
}
