// The pod template jobs-api puts in every Job, CronJob and Deployment (kubernetes-objects.md §2, §4.3).

import type {Container, EnvVar, PodTemplateSpec, Probe, ResourceRequirements} from 'kubernetes-types/core/v1.js'

import type {ResolvedJob} from './job-spec.js'
import {toolHome} from './job-spec.js'
import {jobLabels, jobSelectorLabels} from './labels.js'
import {compareDec, decToString, halve, parseQuantity} from './quantity.js'
import {containerSecurityContext, podSecurityContext} from './security-context.js'
import {shlexSplit} from './shlex.js'

export const JOB_CONTAINER_NAME = 'job'
export const JOB_TERMINATION_GRACE_PERIOD = 15
export const DEFAULT_CPU_LIMIT = '1000m'
export const NO_HOME_ENV: EnvVar = {name: 'NO_HOME', value: 'a buildservice pod does not need a home env'}

const COMMAND_WRAPPER = ['/bin/sh', '-c', '--']
const LAUNCHER_PREFIX = 'launcher '

const STARTUP_PROBE: Probe = {initialDelaySeconds: 0, periodSeconds: 1, failureThreshold: 120, timeoutSeconds: 5}
const LIVENESS_PROBE: Probe = {initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5}

/**
 * The container command (§2.3): a shell only when it is needed for file logs or for prebuilt images, so
 * buildservice processes without file logs receive signals directly.
 */
export function jobCommand(job: ResolvedJob): string[] {
  const cmd = job.image.buildservice && !job.cmd.startsWith(LAUNCHER_PREFIX) ? LAUNCHER_PREFIX + job.cmd : job.cmd
  if (job.filelog) return [...COMMAND_WRAPPER, `exec 1>>${job.filelogStdout};exec 2>>${job.filelogStderr};${cmd}`]
  if (job.image.buildservice) return shlexSplit(cmd)
  return [...COMMAND_WRAPPER, cmd]
}

/**
 * Requests and limits (§2.4). Memory requests above the default are halved and written as Python would
 * print the Decimal (Q-K8S-07); the default cpu gets a higher limit than its request.
 */
export function jobResources(job: ResolvedJob, defaultCpuLimit = DEFAULT_CPU_LIMIT): ResourceRequirements {
  const memory = parseQuantity(job.memory)
  const requestMemory = compareDec(memory, parseQuantity('512Mi')) <= 0 ? job.memory : decToString(halve(memory))
  const cpu = parseQuantity(job.cpu)
  const cpuText = decToString(cpu)
  const limitCpu = compareDec(cpu, parseQuantity('100m')) === 0 ? defaultCpuLimit : cpuText
  return {
    limits: {memory: job.memory, cpu: limitCpu},
    requests: {memory: requestMemory, cpu: cpuText},
  }
}

/** Startup and liveness probes (§4.3); none for UDP-only jobs or HTTP checks without a TCP port. */
export function jobProbes(job: ResolvedJob): Partial<Pick<Container, 'startupProbe' | 'livenessProbe'>> {
  const tcpPort = job.port !== undefined && job.portProtocol === 'tcp' ? job.port : undefined
  let handler: Probe
  const check = job.healthCheck
  if (check?.type === 'script') {
    const command = job.image.buildservice ? ['launcher', ...shlexSplit(check.script)] : ['/bin/sh', '-c', check.script]
    handler = {exec: {command}}
  } else if (check?.type === 'http') {
    if (tcpPort === undefined) return {}
    handler = {httpGet: {path: check.path, port: tcpPort}}
  } else if (tcpPort === undefined) {
    return {}
  } else {
    handler = {tcpSocket: {port: tcpPort}}
  }
  return {startupProbe: {...STARTUP_PROBE, ...handler}, livenessProbe: {...LIVENESS_PROBE, ...handler}}
}

export interface PodTemplateOptions {
  uid: number
  defaultCpuLimit?: string
  /** Pod-template annotation set when a continuous job is restarted. */
  restartedAt?: string
}

export function jobPodTemplate(job: ResolvedJob, opts: PodTemplateOptions): PodTemplateSpec {
  const continuous = job.jobType === 'continuous'
  const env: EnvVar[] = job.image.buildservice ? [{...NO_HOME_ENV}] : []
  const container: Container = {
    name: JOB_CONTAINER_NAME,
    image: job.image.url,
    ...(job.image.buildservice ? {} : {workingDir: toolHome(job.tool)}),
    env,
    command: jobCommand(job),
    resources: jobResources(job, opts.defaultCpuLimit),
    securityContext: containerSecurityContext(opts.uid),
  }
  if (continuous) {
    Object.assign(container, jobProbes(job))
    if (job.port !== undefined) {
      container.ports = [{containerPort: job.port, protocol: job.portProtocol === 'udp' ? 'UDP' : 'TCP'}]
      env.push({name: 'PORT', value: String(job.port)})
    }
  }

  const labels = jobLabels(job.tool, job.name, job.jobType, {filelog: job.filelog, emails: job.emails, mount: job.mount})
  return {
    metadata: {
      labels,
      ...(opts.restartedAt ? {annotations: {'app.kubernetes.io/restartedAt': opts.restartedAt}} : {}),
    },
    spec: {
      restartPolicy: continuous ? 'Always' : 'Never',
      terminationGracePeriodSeconds: JOB_TERMINATION_GRACE_PERIOD,
      securityContext: podSecurityContext(opts.uid),
      containers: [container],
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: {matchLabels: jobSelectorLabels(job.tool, job.name)},
        },
      ],
    },
  }
}
