// fast-check generators of valid job requests and webservice specs, and of the workloads built from them.

import fc from 'fast-check'

import type {HealthCheck, NewJob} from '../../src/api/jobs-types.js'
import {listImages, webserviceTypes} from '../../src/kube/images.js'
import {buildJobObjects} from '../../src/kube/jobs.js'
import type {KubeObject, WorkloadObject} from '../../src/kube/types.js'
import {buildShellPod, buildWebserviceObjects, type WebserviceSpec, webserviceSpec} from '../../src/kube/webservice.js'

export const toolArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/)
export const uidArb = fc.integer({min: 1, max: 2 ** 31 - 1})
const jobNameArb = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/)
const tokenArb = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_./=:-]{1,12}$/),
  fc.stringMatching(/^[A-Za-z0-9 _.-]{0,12}$/).map((s) => `"${s}"`),
)
const commandArb = fc.array(tokenArb, {minLength: 1, maxLength: 5}).map((t) => t.join(' '))
const prebuiltNameArb = fc.constantFrom(...listImages().flatMap((i) => [i.shortname, ...i.aliases, i.url]))
const memoryArb = fc.oneof(
  fc.constantFrom('256Mi', '512Mi', '1Gi', '2Gi', '1G', '0.5Gi', '4000Mi'),
  fc.integer({min: 1, max: 8192}).map((n) => `${n}Mi`),
)
const cpuArb = fc.oneof(fc.constantFrom('100m', '250m', '500m', '1', '2', '0.5'), fc.integer({min: 1, max: 4000}).map((n) => `${n}m`))
const pathArb = fc.stringMatching(/^\/?[a-z0-9_-]{1,8}(\/[a-z0-9_.-]{1,8}){0,2}$/)

function cronFieldArb(min: number, max: number): fc.Arbitrary<string> {
  const value = fc.integer({min, max})
  return fc.oneof(
    fc.constant('*'),
    fc.integer({min: Math.max(1, min), max}).map((n) => `*/${n}`),
    value.map(String),
    fc.tuple(value, value).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.array(value, {minLength: 2, maxLength: 4}).map((v) => v.join(',')),
  )
}

export const scheduleArb = fc.oneof(
  fc.constantFrom('@hourly', '@daily', '@weekly', '@monthly', '@yearly'),
  fc
    .tuple(cronFieldArb(0, 59), cronFieldArb(0, 23), cronFieldArb(1, 31), cronFieldArb(1, 12), cronFieldArb(0, 6))
    .map((f) => f.join(' ')),
)

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, {nil: undefined})

const buildserviceImageArb = fc
  .tuple(fc.boolean(), fc.stringMatching(/^[a-z0-9]{1,10}$/), fc.constantFrom('latest', 'v1', '2026.01'))
  .map(([own, repo, tag]) => (tool: string) => `tool-${own ? tool : 'other-tool'}/${repo}:${tag}`)

/** Requests jobs-api accepts, as functions of the tool (buildservice images may be the tool's own). */
export const newJobArb: fc.Arbitrary<(tool: string) => NewJob> = fc
  .record({
    name: jobNameArb,
    cmd: commandArb,
    image: fc.oneof(prebuiltNameArb.map((name) => () => name), buildserviceImageArb),
    job_type: fc.constantFrom('one-off', 'scheduled', 'continuous') as fc.Arbitrary<NewJob['job_type']>,
    filelog: optional(fc.boolean()),
    filelog_stdout: optional(pathArb),
    filelog_stderr: optional(pathArb),
    emails: optional(fc.constantFrom('none', 'all', 'onfinish', 'onfailure') as fc.Arbitrary<NewJob['emails'] & string>),
    mount: optional(fc.constantFrom('all', 'none') as fc.Arbitrary<'all' | 'none'>),
    memory: optional(memoryArb),
    cpu: optional(cpuArb),
    retry: optional(fc.integer({min: 0, max: 5})),
    schedule: scheduleArb,
    timeout: optional(fc.integer({min: 0, max: 86400})),
    replicas: optional(fc.integer({min: 0, max: 5})),
    port: optional(fc.integer({min: 1, max: 65535})),
    port_protocol: optional(fc.constantFrom('tcp', 'udp') as fc.Arbitrary<'tcp' | 'udp'>),
    health_check: optional(
      fc.oneof(
        commandArb.map((script): HealthCheck => ({type: 'script', script})),
        pathArb.map((p): HealthCheck => ({type: 'http', path: `/${p.replace(/^\//, '')}`})),
      ),
    ),
    publish: fc.boolean(),
  })
  .map(({publish, image, ...raw}) => (tool: string) => {
    const imagename = image(tool)
    const job: NewJob = {name: raw.name, cmd: raw.cmd, imagename, job_type: raw.job_type}
    const buildservice = imagename.startsWith('tool-')
    for (const key of ['filelog', 'emails', 'memory', 'cpu'] as const) if (raw[key] !== undefined) (job as any)[key] = raw[key]
    if (buildservice && raw.mount !== undefined && !(raw.mount === 'none' && raw.filelog)) job.mount = raw.mount
    if (raw.filelog !== false) {
      if (raw.filelog_stdout) job.filelog_stdout = raw.filelog_stdout
      if (raw.filelog_stderr) job.filelog_stderr = raw.filelog_stderr
    }
    if (raw.job_type !== 'continuous' && raw.retry !== undefined) job.retry = raw.retry
    if (raw.job_type === 'scheduled') {
      job.schedule = raw.schedule
      if (raw.timeout !== undefined) job.timeout = raw.timeout
    }
    if (raw.job_type === 'continuous') {
      if (raw.replicas !== undefined) job.replicas = raw.replicas
      if (raw.port !== undefined) {
        job.port = raw.port
        if (raw.port_protocol) job.port_protocol = raw.port_protocol
        if (publish && raw.port_protocol !== 'udp') job.publish = '/'
      }
      if (raw.health_check && (raw.health_check.type === 'script' || job.port !== undefined)) job.health_check = raw.health_check
    }
    return job
  })

export const webserviceSpecArb: fc.Arbitrary<WebserviceSpec> = fc
  .record({
    tool: toolArb,
    type: fc.constantFrom('buildservice', ...webserviceTypes().map((t) => t.type)),
    mem: optional(fc.tuple(fc.integer({min: 1, max: 8}), fc.boolean()).map(([n, gi]) => (gi ? `${n}Gi` : `${n * 128}Mi`))),
    cpu: optional(fc.tuple(fc.integer({min: 1, max: 4}), fc.boolean()).map(([n, whole]) => (whole ? `${n}` : `${n * 125}m`))),
    replicas: optional(fc.integer({min: 1, max: 4})),
    extraArgs: optional(fc.array(fc.stringMatching(/^[A-Za-z0-9_./=-]{1,10}$/), {maxLength: 4})),
    mount: optional(fc.constantFrom('all', 'none') as fc.Arbitrary<'all' | 'none'>),
    healthCheckPath: optional(pathArb.map((p) => `/${p.replace(/^\//, '')}`)),
    publicDomain: optional(fc.constantFrom('toolforge.org', 'beta.toolforge.org', 'local')),
  })
  .map(({tool, type, ...opts}) => {
    const spec = webserviceSpec(type, tool, Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)))
    if (!spec) throw new Error(`no spec for ${type}`)
    return spec
  })

export interface Built {
  objects: KubeObject[]
  tool: string
  uid: number
}

export const builtJobArb: fc.Arbitrary<Built> = fc
  .tuple(toolArb, uidArb, newJobArb)
  .map(([tool, uid, makeJob]) => ({objects: buildJobObjects(makeJob(tool), {tool, uid}), tool, uid}))

export const builtWebserviceArb: fc.Arbitrary<Built> = fc
  .tuple(webserviceSpecArb, uidArb, fc.constantFrom('ingress', 'gateway') as fc.Arbitrary<'ingress' | 'gateway'>)
  .map(([spec, uid, routing]) => ({
    objects: [...buildWebserviceObjects(spec, {uid, routing}), buildShellPod(spec, {uid})],
    tool: spec.tool,
    uid,
  }))

export function isWorkload(o: KubeObject): o is WorkloadObject {
  return o.kind === 'Job' || o.kind === 'CronJob' || o.kind === 'Deployment' || o.kind === 'Pod'
}

/** One compliant workload with its tool and uid. */
export const workloadArb: fc.Arbitrary<{object: WorkloadObject; tool: string; uid: number}> = fc
  .tuple(fc.oneof(builtJobArb, builtWebserviceArb), fc.nat())
  .map(([b, index]) => {
    const workloads = b.objects.filter(isWorkload)
    // Cloned so that mutating tests never alter a value fast-check may replay while shrinking.
    return {object: structuredClone(workloads[index % workloads.length]), tool: b.tool, uid: b.uid}
  })
