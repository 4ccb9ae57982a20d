import {setTimeout as delay} from 'node:timers/promises'

import {EXIT_SERVER_ERROR, EXIT_USER_ERROR, ToolforgeError} from '../api/errors.js'
import type {DefinedJob} from '../api/jobs-types.js'
import type {JobsClient} from '../api/jobs.js'
import {neutralizeControls} from '../ui/control-chars.js'
import {startSpinner} from '../ui/spinner.js'
import {renderVertical} from '../ui/table.js'
import {showRows} from './format.js'

// Waiting for a one-off job (`run --wait`, `load` entries with `wait`, `jobs wait`), jobs.md §2.3:
// poll GET /jobs/<name> every 5 s until it completed, failed, vanished or the time is up.

export const WAIT_INTERVAL_MS = 5000

export type WaitOutcome = 'completed' | 'failed' | 'vanished' | 'timeout'

export interface WaitResult {
  outcome: WaitOutcome
  /** The last state seen; absent when the job was never seen. */
  job?: DefinedJob
  elapsedSeconds: number
}

export interface PollOptions {
  name: string
  timeoutSeconds: number
  /** `show` is given a signal that aborts at the deadline: a poll in flight ends with the wait. */
  client: Pick<JobsClient, 'show'>
  intervalMs?: number
  sleep?: (ms: number) => Promise<void>
  now?: () => number
  /** `jobs wait`: a job that does not exist at the first poll is an error (the API's 404 message), not "vanished". */
  mustExist?: boolean
  onPoll?: (job: DefinedJob, elapsedSeconds: number) => void
}

/** Interval from TOOLFORGE_WAIT_INTERVAL_MS (tests and impatient people), else 5 s like upstream. */
export function defaultIntervalMs(env = process.env): number {
  const n = Number(env.TOOLFORGE_WAIT_INTERVAL_MS)
  return env.TOOLFORGE_WAIT_INTERVAL_MS && Number.isFinite(n) && n >= 0 ? n : WAIT_INTERVAL_MS
}

type State = 'completed' | 'failed' | 'pending'

/** The v2 `status.short` when the API sends it (2026), else the older `status_short` text. */
export function jobState(job: DefinedJob): State {
  const short = job.status?.short
  if (short) return short === 'succeeded' ? 'completed' : short === 'failed' ? 'failed' : 'pending'
  if (job.status_short === 'Completed') return 'completed'
  if (job.status_short === 'Failed') return 'failed'
  return 'pending'
}

function isNotFound(error: unknown): boolean {
  return error instanceof ToolforgeError && error.status === 404
}

export async function pollJob(opts: PollOptions): Promise<WaitResult> {
  const interval = opts.intervalMs ?? defaultIntervalMs()
  const sleep = opts.sleep ?? ((ms: number) => delay(ms))
  const now = opts.now ?? Date.now
  const start = now()
  const deadline = start + opts.timeoutSeconds * 1000
  const elapsed = () => Math.round((now() - start) / 1000)
  let last: DefinedJob | undefined
  for (;;) {
    let job: DefinedJob
    // Without it one unanswered poll would hold the wait for the whole request timeout (60 s by default)
    // and end it with that error instead of this wait's own.
    const deadlineSignal = AbortSignal.timeout(Math.max(0, deadline - now()))
    try {
      job = await opts.client.show(opts.name, {signal: deadlineSignal})
    } catch (error) {
      if (deadlineSignal.aborted) return {outcome: 'timeout', job: last, elapsedSeconds: elapsed()}
      if (!isNotFound(error)) throw error
      if (last === undefined && opts.mustExist) throw error
      // Q-JOBS-01 fixed deliberately: upstream reported a job that disappeared as completed, even when it
      // had failed (one-off jobs are deleted 30 s after finishing). Only a completion we saw counts.
      const outcome = last && jobState(last) === 'completed' ? 'completed' : 'vanished'
      return {outcome, job: last, elapsedSeconds: elapsed()}
    }

    last = job
    opts.onPoll?.(job, elapsed())
    const state = jobState(job)
    if (state !== 'pending') return {outcome: state, job, elapsedSeconds: elapsed()}
    const remaining = deadline - now()
    if (remaining <= 0) return {outcome: 'timeout', job, elapsedSeconds: elapsed()}
    await sleep(Math.min(interval, remaining))
  }
}

/** Polls with a spinner on a terminal. */
export async function waitForJob(opts: PollOptions & {json?: boolean}): Promise<WaitResult> {
  const label = `waiting for job '${opts.name}' to complete`
  const spinner = await startSpinner(`${label}...`, {json: opts.json})
  try {
    return await pollJob({
      ...opts,
      onPoll(job, seconds) {
        spinner.update(`${label} (${neutralizeControls(job.status?.short ?? job.status_short ?? 'unknown')}, ${seconds}s)...`)
        opts.onPoll?.(job, seconds)
      },
    })
  } finally {
    spinner.stop()
  }
}

/** The error for an unsuccessful wait, with the `show` table of the last state seen; undefined on success. */
export async function waitError(result: WaitResult, name: string, timeoutSeconds: number, tool: string): Promise<ToolforgeError | undefined> {
  const table = result.job ? await renderVertical(showRows(result.job, tool)) : undefined
  switch (result.outcome) {
    case 'completed': {
      return undefined
    }

    case 'failed': {
      return new ToolforgeError(`job '${name}' failed:`, {exitCode: EXIT_USER_ERROR, display: table})
    }

    case 'vanished': {
      const hint = "It was deleted before its result could be seen (finished one-off jobs are removed after 30 s). Check its logs or output files."
      return new ToolforgeError(`job '${name}' no longer exists; its final state is unknown`, {exitCode: EXIT_USER_ERROR, details: hint})
    }

    case 'timeout': {
      // Exit 2 as upstream (Q-JOBS-14): the job may still finish. The colon leads to its last state, if one was seen.
      return new ToolforgeError(`timed out ${timeoutSeconds} seconds waiting for job '${name}' to complete${table ? ':' : ''}`, {
        exitCode: EXIT_SERVER_ERROR,
        display: table,
      })
    }
  }
}

/** Machine-readable summary of a wait, for `--json`. */
export function waitJson(result: WaitResult): {outcome: WaitOutcome; elapsed_seconds: number; job?: DefinedJob} {
  return {outcome: result.outcome, elapsed_seconds: result.elapsedSeconds, ...(result.job ? {job: result.job} : {})}
}
