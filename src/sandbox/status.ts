// status_short / status_long / status (v2) from what the sandbox runtime knows, worded like jobs-api's
// runtimes/k8s status code (jobs.md §2.5, §3.6).

import type {JobStatus} from '../api/jobs-types.js'
import {nextCronTime, parseCron} from './cronmatch.js'
import type {JobRecord, PodRecord, WorkloadRecord} from './store.js'

export interface LivePodInfo {
  ready: boolean
  /** The container is waiting to be restarted (CrashLoopBackOff). */
  backoff: boolean
}

export interface JobRuntimeView {
  workloads: Array<{workload: WorkloadRecord; pods: PodRecord[]}>
  live: (podId: number) => LivePodInfo | undefined
}

export interface ComputedStatus {
  status_short: string
  status_long: string
  status: JobStatus
}

export function rfc3339(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 19)}Z` : ''
}

/** Durations like jobs-api prints them: `12s`, `1m24s`, `2d3h`. */
export function formatDuration(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000))
  const d = Math.floor(s / 86400)
  s -= d * 86400
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  const parts = [[d, 'd'], [h, 'h'], [m, 'm'], [s, 's']].filter(([n]) => n !== 0).map(([n, u]) => `${n}${u}`)
  return parts.length === 0 ? '0s' : parts.join('')
}

function podState(pod: PodRecord, live: LivePodInfo | undefined): string {
  if (pod.phase === 'Pending') return 'waiting'
  if (pod.phase === 'Running') return live?.backoff || pod.reason === 'CrashLoopBackOff' ? 'waiting' : 'running'
  return 'terminated'
}

/** The `Hints:` text for one pod (jobs.md §2.5). */
export function podHints(pod: PodRecord | undefined, live: LivePodInfo | undefined): string {
  if (!pod) return 'No pods were created for this job.'
  const parts = [pod.started || pod.phase !== 'Pending' ? `Last run at ${rfc3339(pod.created)}.` : 'Run not attempted yet.']
  parts.push(`Pod in '${pod.phase}' phase.`)
  if (pod.restarts > 0) parts.push(`Pod has been restarted ${pod.restarts} times.`)
  parts.push(`State '${podState(pod, live)}'.`)
  if (pod.reason) parts.push(`Reason '${pod.reason}'.`)
  if (pod.started) parts.push(`Started at '${rfc3339(pod.started)}'.`)
  if (pod.finished) parts.push(`Finished at '${rfc3339(pod.finished)}'.`)
  if (pod.exitCode !== null) parts.push(`Exit code '${pod.exitCode}'.`)
  if (pod.message) parts.push(`Additional message:'${pod.message}'.`)
  return parts.join(' ')
}

const quotaMessage = (pod: PodRecord | undefined): string | undefined =>
  pod?.phase === 'Pending' && pod.reason === 'OutOfQuota' && pod.message ? pod.message : undefined

function latestPod(pods: PodRecord[]): PodRecord | undefined {
  return pods.at(-1)
}

function v2Messages(pod: PodRecord | undefined, live: LivePodInfo | undefined): string[] {
  const out: string[] = []
  if (!pod) return ['scheduling']
  const quota = quotaMessage(pod)
  if (quota) out.push(quota)
  else if (pod.phase === 'Pending') out.push('scheduling')
  else if (pod.phase === 'Running' && !pod.started) out.push('initializing')
  if (pod.restarts > 0) out.push(`restarted (${pod.restarts})`)
  if (pod.exitCode !== null && pod.exitCode !== 0) out.push(`exitcode ${pod.exitCode}`)
  if (pod.message && !quota) out.push(pod.message)
  if (pod.phase === 'Running' && live && !live.ready && pod.started && !live.backoff) out.push('initializing')
  return [...new Set(out)]
}

function workloadStatus(entry: {workload: WorkloadRecord; pods: PodRecord[]}, view: JobRuntimeView, now: Date): ComputedStatus {
  const {workload, pods} = entry
  const pod = latestPod(pods)
  const live = pod ? view.live(pod.id) : undefined
  const hints = podHints(pod, live)
  const since = (iso: string | null | undefined): string => formatDuration(now.getTime() - Date.parse(iso ?? workload.created))
  if (workload.outcome === 'succeeded') {
    return {status_short: 'Completed', status_long: hints, status: {short: 'succeeded', duration: since(workload.finished), up_to_date: true, messages: []}}
  }
  if (workload.outcome === 'failed') {
    return {status_short: 'Failed', status_long: hints, status: {short: 'failed', duration: since(workload.finished), up_to_date: true, messages: v2Messages(pod, live)}}
  }
  if (pod?.phase === 'Running' && pod.started) {
    return {status_short: `Running for ${since(pod.started)}`, status_long: hints, status: {short: 'running', duration: since(pod.started), up_to_date: true, messages: v2Messages(pod, live)}}
  }
  const quota = quotaMessage(pod)
  return {
    status_short: quota ?? 'Not running',
    status_long: hints,
    status: {short: 'pending', duration: since(pod?.created), up_to_date: true, messages: v2Messages(pod, live)},
  }
}

function oneOffStatus(view: JobRuntimeView, now: Date): ComputedStatus {
  const entry = view.workloads.at(-1)
  if (!entry) return {status_short: 'Unknown', status_long: 'No pods were created for this job.', status: {short: 'unknown', duration: '0s', up_to_date: true, messages: []}}
  return workloadStatus(entry, view, now)
}

function scheduledStatus(job: JobRecord, view: JobRuntimeView, now: Date): ComputedStatus {
  const actual = String(job.resolved.schedule_actual ?? '')
  const next = actual ? nextCronTime(parseCron(actual), now) : undefined
  const schedule = {
    ...(job.lastSchedule ? {previous_schedule: rfc3339(job.lastSchedule)} : {}),
    ...(next ? {next_schedule: rfc3339(next.toISOString())} : {}),
  }
  const entry = view.workloads.at(-1)
  if (entry && entry.workload.outcome !== 'succeeded') {
    const st = workloadStatus(entry, view, now)
    return {...st, status: {...st.status, ...schedule}}
  }
  const status_short = job.lastSchedule ? `Last schedule time: ${rfc3339(job.lastSchedule)}` : 'Waiting for scheduled time'
  const pod = entry ? latestPod(entry.pods) : undefined
  const status_long = podHints(pod, pod ? view.live(pod.id) : undefined)
  const short = entry ? 'succeeded' : 'pending'
  const since = entry?.workload.finished ?? job.lastSchedule ?? job.created
  return {status_short, status_long, status: {short, duration: formatDuration(now.getTime() - Date.parse(since)), up_to_date: true, messages: [], ...schedule}}
}

function continuousStatus(job: JobRecord, view: JobRuntimeView, now: Date): ComputedStatus {
  const entry = view.workloads.at(-1)
  const pods = entry?.pods.filter((p) => !p.gone) ?? []
  const replicas = Number(job.resolved.replicas ?? 1)
  const ready = pods.filter((p) => p.phase === 'Running' && view.live(p.id)?.ready).length
  // Deployment Available: at most 25% (rounded down) of the replicas unavailable.
  const available = replicas > 0 && ready >= replicas - Math.floor(replicas * 0.25)
  const crashing = pods.find((p) => p.reason === 'CrashLoopBackOff' || (p.reason === 'Error' && p.phase !== 'Running'))
  const quotaPod = pods.find((p) => quotaMessage(p))
  const shown = crashing ?? quotaPod ?? pods[0]
  const live = shown ? view.live(shown.id) : undefined
  const status_long = podHints(shown, live)
  const since = formatDuration(now.getTime() - Date.parse(shown?.started ?? shown?.created ?? job.updated))
  const messages = v2Messages(shown, live)
  if (available) return {status_short: 'Running', status_long, status: {short: 'running', duration: since, up_to_date: true, messages: shown?.restarts ? messages : []}}
  if (crashing) return {status_short: 'Specified command fails to run', status_long, status: {short: 'failed', duration: since, up_to_date: true, messages}}
  if (quotaPod) return {status_short: quotaMessage(quotaPod)!, status_long, status: {short: 'pending', duration: since, up_to_date: true, messages}}
  return {status_short: 'Not running', status_long, status: {short: 'pending', duration: since, up_to_date: true, messages: replicas === 0 ? [] : messages}}
}

export function computeStatus(job: JobRecord, view: JobRuntimeView, now: Date): ComputedStatus {
  if (job.jobType === 'one-off') return oneOffStatus(view, now)
  if (job.jobType === 'scheduled') return scheduledStatus(job, view, now)
  return continuousStatus(job, view, now)
}
