import {lastCronTimeBetween, parseCron} from './cronmatch.js'
import type {Runtime} from './runtime.js'

// CronJob startingDeadlineSeconds: a run more than this late is skipped.
const STARTING_DEADLINE_MS = 30_000
// How far back missed runs are looked for after the sandbox was stopped.
const LOOKBACK_MS = 60 * 60_000

/**
 * The CronJob controller: on every tick, starts the latest run whose minute has come since the last
 * schedule, unless it is too late for it or a previous run is still active (concurrencyPolicy Forbid).
 * The clock is the runtime's, so tests can move time instead of waiting for it.
 */
export class Scheduler {
  private timer?: NodeJS.Timeout

  constructor(private readonly runtime: Runtime, private readonly intervalMs: number) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  tick(): void {
    const {store} = this.runtime
    const now = this.runtime.opts.now()
    for (const job of store.listJobs()) {
      if (job.jobType !== 'scheduled' || typeof job.resolved.schedule_actual !== 'string') continue
      const since = Math.max(Date.parse(job.lastSchedule ?? job.created), now.getTime() - LOOKBACK_MS)
      const due = lastCronTimeBetween(parseCron(job.resolved.schedule_actual), new Date(since), now)
      if (!due || now.getTime() - due.getTime() > STARTING_DEADLINE_MS) continue
      store.setJobField(job.tool, job.name, 'last_schedule', due.toISOString())
      const active = store.liveWorkloads(job.tool, job.name).some((w) => w.finished === null)
      if (active) continue
      // CronJob-created Jobs are named after the scheduled minute.
      this.runtime.startJob({...job, lastSchedule: due.toISOString()}, `${job.name}-${Math.floor(due.getTime() / 60_000)}`, false)
    }
    this.runtime.reconcile()
  }
}
