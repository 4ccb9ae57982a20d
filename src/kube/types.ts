// Kubernetes object shapes produced by the builders. Based on kubernetes-types, but with `apiVersion`,
// `kind`, `metadata.name` and `spec` required: every object we build carries them, including the kinds
// jobs-api itself posts without `kind` (Q-K8S-01) — consumers (policy check, sandbox, kubectl-style
// output) need the kind, and the API server accepts it either way.

import type {Deployment} from 'kubernetes-types/apps/v1.js'
import type {CronJob, Job} from 'kubernetes-types/batch/v1.js'
import type {ObjectMeta} from 'kubernetes-types/meta/v1.js'
import type {Pod, Service} from 'kubernetes-types/core/v1.js'
import type {Ingress} from 'kubernetes-types/networking/v1.js'

export type NamedMeta = ObjectMeta & {name: string; namespace: string}

type Built<T extends {spec?: unknown}, K extends string> = Omit<T, 'apiVersion' | 'kind' | 'metadata' | 'spec' | 'status'> & {
  apiVersion: string
  kind: K
  metadata: NamedMeta
  spec: NonNullable<T['spec']>
}

/** gateway.networking.k8s.io/v1 HTTPRoute, reduced to the fields Toolforge uses. */
export interface HTTPRouteSpec {
  parentRefs: Array<{namespace?: string; name: string}>
  hostnames?: string[]
  rules?: Array<{
    matches?: Array<{path?: {type?: string; value?: string}}>
    backendRefs?: Array<{name: string; port?: number}>
  }>
}

export type JobObject = Built<Job, 'Job'>
export type CronJobObject = Built<CronJob, 'CronJob'>
export type DeploymentObject = Built<Deployment, 'Deployment'>
export type PodObject = Built<Pod, 'Pod'>
export type ServiceObject = Built<Service, 'Service'>
export type IngressObject = Built<Ingress, 'Ingress'>
export interface HTTPRouteObject {
  apiVersion: 'gateway.networking.k8s.io/v1'
  kind: 'HTTPRoute'
  metadata: NamedMeta
  spec: HTTPRouteSpec
}

export type WorkloadObject = JobObject | CronJobObject | DeploymentObject | PodObject
export type KubeObject = WorkloadObject | ServiceObject | IngressObject | HTTPRouteObject
