// A reproducible set of generated workloads for timing the policy check (`npm run bench`): jobs of every
// type and option combination plus webservice Deployments and shell pods, spread over many tools and
// uids. Only pod-carrying objects are returned, so objects/s equals pods/s.

import type {NewJob} from '../api/jobs-types.js'
import {listImages} from './images.js'
import {buildJobObjects} from './jobs.js'
import type {KubeObject, WorkloadObject} from './types.js'
import {buildShellPod, buildWebserviceDeployment, webserviceSpec} from './webservice.js'

export interface CorpusItem {
  object: WorkloadObject
  tool: string
  uid: number
}

// Small deterministic generator (mulberry32) so every run times the same objects.
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SCHEDULES = ['@hourly', '@daily', '@weekly', '@monthly', '@yearly', '*/5 * * * *', '0 3 * * 1-5', '15,45 * * * *']
const MEMORY = [undefined, '256Mi', '1Gi', '2Gi', '1G']
const CPU = [undefined, '100m', '250m', '500m', '1']

function isWorkload(o: KubeObject): o is WorkloadObject {
  return o.kind === 'Job' || o.kind === 'CronJob' || o.kind === 'Deployment' || o.kind === 'Pod'
}

export function generateCorpusItems(n: number, seed = 20260101): CorpusItem[] {
  const random = rng(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
  const prebuilt = listImages().map((i) => i.shortname)
  const webTypes = listImages()
    .filter((i) => i.wstype)
    .map((i) => i.shortname)
  const items: CorpusItem[] = []
  const now = new Date(Date.UTC(2026, 0, 1))

  for (let i = 0; items.length < n; i++) {
    const toolIndex = Math.floor(random() * 500)
    const tool = `tool${toolIndex}`
    const uid = 50000 + toolIndex
    const variant = i % 5
    let objects: KubeObject[]

    if (variant === 3) {
      const spec = webserviceSpec(random() < 0.2 ? 'buildservice' : pick(webTypes), tool, {
        mem: pick(['512Mi', '1Gi', '2Gi', undefined]),
        cpu: pick(['250m', '500m', '1', undefined]),
        replicas: 1 + Math.floor(random() * 3),
      })
      if (!spec) continue
      objects = [random() < 0.8 ? buildWebserviceDeployment(spec, {uid, now}) : buildShellPod(spec, {uid, now})]
    } else {
      const buildservice = random() < 0.25
      const jobType = variant === 0 || variant === 4 ? 'one-off' : variant === 1 ? 'scheduled' : 'continuous'
      const job: NewJob = {
        name: `job${i}`,
        cmd: pick(['./run.sh', 'python3 bot.py --flag', 'date', 'while sleep 2; do date; done']),
        imagename: buildservice ? `tool-${tool}/img${i % 3}:latest` : pick(prebuilt),
        job_type: jobType,
        memory: pick(MEMORY),
        cpu: pick(CPU),
        emails: pick(['none', 'all', 'onfinish', 'onfailure'] as const),
      }
      if (buildservice && random() < 0.5) job.filelog = true
      if (jobType === 'one-off') job.retry = Math.floor(random() * 6)
      if (jobType === 'scheduled') {
        job.schedule = pick(SCHEDULES)
        if (random() < 0.5) job.timeout = 60 + Math.floor(random() * 3600)
      }
      if (jobType === 'continuous') {
        job.replicas = 1 + Math.floor(random() * 3)
        if (random() < 0.6) {
          job.port = 1024 + Math.floor(random() * 60000)
          job.port_protocol = random() < 0.2 ? 'udp' : 'tcp'
          if (job.port_protocol === 'tcp' && random() < 0.5) job.health_check = {type: 'http', path: '/healthz'}
          if (job.port_protocol === 'tcp' && random() < 0.3) job.publish = '/'
        } else if (random() < 0.5) {
          job.health_check = {type: 'script', script: './check.sh'}
        }
      }
      objects = buildJobObjects(job, {tool, uid})
    }

    for (const object of objects) if (isWorkload(object) && items.length < n) items.push({object, tool, uid})
  }
  return items
}

/** n generated workloads (Job, CronJob, Deployment, Pod) for many tools and uids. */
export function generateCorpus(n: number): WorkloadObject[] {
  return generateCorpusItems(n).map((item) => item.object)
}
