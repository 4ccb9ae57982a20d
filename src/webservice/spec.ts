// From resolved options to what each backend sends: the WebserviceSpec of src/kube for the kubernetes
// backend, and jobs API request bodies for the jobs-api backend (jobs.md §3.10, jobs-api-webservice.yaml).

import type {HealthCheck, MountOption, NewJob} from '../api/jobs-types.js'
import {WEBSERVICE_PORT, webserviceSpec, type WebserviceSpec} from '../kube/webservice.js'
import type {Resolved} from './resolve.js'
import {BUILDSERVICE, RUNNER_TYPES, type TypeInfo} from './wstypes.js'

/** jobs-api names the webservice job `webservice` (one per tool). */
export const WEBSERVICE_JOB = 'webservice'

/** The checked type; resolve() sets it for every action that builds something. */
function typeOf(resolved: Resolved): TypeInfo {
  if (!resolved.type) throw new Error(`webservice type '${resolved.typeName}' was not checked`)
  return resolved.type
}

/** The image, runner and resources come from the type table in force (the cluster's when it was read). */
export function kubeSpec(resolved: Resolved): WebserviceSpec {
  const type = typeOf(resolved)
  const options = {
    mem: resolved.mem,
    cpu: resolved.cpu,
    replicas: resolved.replicas,
    extraArgs: resolved.extraArgs,
    mount: resolved.mount,
    healthCheckPath: resolved.healthCheckPath,
    publicDomain: resolved.config.publicDomain,
  }
  if (type.name === BUILDSERVICE) {
    const spec = webserviceSpec(BUILDSERVICE, resolved.tool, {
      ...options,
      buildserviceImage: resolved.buildserviceImage,
      buildserviceRepository: resolved.config.buildserviceRepository,
    })
    if (!spec) throw new Error('no spec for the buildservice type')
    return spec
  }
  return {...options, tool: resolved.tool, type: type.name, image: type.image, wstype: type.wstype, resources: type.resources ?? 'default', buildservice: false}
}

/** Python's `shlex.quote`: the jobs API runs prebuilt-image commands through `/bin/sh -c`. */
export function shellQuote(word: string): string {
  if (word === '') return "''"
  if (/^[\w@%+=:,./-]+$/.test(word)) return word
  return `'${word.replaceAll("'", `'"'"'`)}'`
}

function isBuildservice(resolved: Resolved): boolean {
  return resolved.typeName === BUILDSERVICE
}

/** The command of a prebuilt image: its webservice-runner, as upstream's Deployment runs it, plus extra args. */
function runnerCommand(resolved: Resolved): string {
  const wstype = typeOf(resolved).wstype
  const runner = wstype ? ['/usr/bin/webservice-runner', '--type', RUNNER_TYPES[wstype], '--port', String(WEBSERVICE_PORT)] : []
  return [...runner, ...resolved.extraArgs].map((word) => shellQuote(word)).join(' ')
}

function imagename(resolved: Resolved): string {
  return isBuildservice(resolved) ? resolved.buildserviceImage : resolved.typeName
}

/** jdk types need more memory than the jobs API's default (webservice.md §1.4 resource profiles). */
function memory(resolved: Resolved): string | undefined {
  if (resolved.mem) return resolved.mem
  return typeOf(resolved).resources === 'jdk' ? '1Gi' : undefined
}

function healthCheck(resolved: Resolved): HealthCheck | undefined {
  return resolved.healthCheckPath ? {type: 'http', path: resolved.healthCheckPath} : undefined
}

function common(resolved: Resolved): {memory?: string; cpu?: string; mount?: MountOption; health_check?: HealthCheck} {
  const fields = {memory: memory(resolved), cpu: resolved.cpu, mount: resolved.mount, health_check: healthCheck(resolved)}
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))
}

/**
 * A published continuous job (NewContinuousJob of jobs-api-publish.yaml). `job_type` is always sent: the
 * create body is a oneOf, and without it a continuous body is not distinguishable from a one-off one.
 * Buildservice images run their Procfile `web` process unless extra arguments say otherwise.
 */
export function continuousJobBody(resolved: Resolved): NewJob {
  const buildservice = isBuildservice(resolved)
  return {
    name: WEBSERVICE_JOB,
    job_type: 'continuous',
    imagename: imagename(resolved),
    cmd: buildservice ? (resolved.extraArgs.length > 0 ? resolved.extraArgs.map((w) => shellQuote(w)).join(' ') : 'web') : runnerCommand(resolved),
    filelog: false,
    replicas: resolved.replicas,
    port: WEBSERVICE_PORT,
    port_protocol: 'tcp',
    publish: '/',
    ...common(resolved),
  }
}

/** LegacyWebserviceJob of jobs-api-webservice.yaml: the server supplies the image's runner command. */
export interface LegacyWebserviceJob {
  name: string
  job_type: 'webservice'
  imagename: string
  cmd: string
  filelog: boolean
  replicas: number
  port: number
  memory?: string
  cpu?: string
  mount?: MountOption
  health_check?: HealthCheck
}

export function legacyWebserviceJobBody(resolved: Resolved): LegacyWebserviceJob {
  return {
    name: WEBSERVICE_JOB,
    job_type: 'webservice',
    imagename: imagename(resolved),
    // Appended to the image's webservice command for prebuilt images, the whole command for buildservice.
    cmd: resolved.extraArgs.map((w) => shellQuote(w)).join(' '),
    filelog: false,
    replicas: resolved.replicas,
    port: WEBSERVICE_PORT,
    ...common(resolved),
  }
}
