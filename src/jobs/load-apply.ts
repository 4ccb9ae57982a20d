import {EXIT_USER_ERROR, ToolforgeError} from '../api/errors.js'
import type {JobType} from '../api/jobs-types.js'
import type {JobsClient} from '../api/jobs.js'
import type {Printer} from '../ui/messages.js'
import type {PlannedJob} from './load.js'
import {waitError, waitForJob, waitJson} from './wait.js'

// `jobs load` output side (jobs.md §4.2): PATCH each job in file order (create-or-update on the API; jobs
// not in the file are never touched), honour `wait`, and say at the end what was applied and what failed.

export type LoadStatus = 'loaded' | 'not_started' | 'failed' | 'not_attempted'

export interface LoadResult {
  name: string
  job_type: JobType
  status: LoadStatus
  /** The API's `job_changed`: false when the job was already up to date. */
  changed?: boolean
  /** The API's info messages, e.g. `Job x created in storage and runtime`. */
  messages?: string[]
  wait?: ReturnType<typeof waitJson>
  error?: {message: string; exit_code: number; status?: number}
}

export interface ApplyDeps {
  client: Pick<JobsClient, 'update' | 'show'>
  printer: Printer
  tool: string
  json: boolean
}

function errorJson(error: ToolforgeError): NonNullable<LoadResult['error']> {
  return {message: error.message, exit_code: error.exitCode, ...(error.status ? {status: error.status} : {})}
}

function names(results: LoadResult[]): string {
  return results.map((r) => r.name).join(', ')
}

/**
 * Ctrl-C ends the process at once (exit 130); before it does, say how far the load got, so whoever
 * pressed it knows what changed. Runs ahead of the process-wide handler that exits.
 */
function reportInterrupt(jobs: PlannedJob[], results: LoadResult[], printer: Printer): () => void {
  const onInterrupt = () => {
    const loaded = results.filter((r) => r.status === 'loaded')
    // Results are added as each job is reached; the last one may be under way.
    const last = results.at(-1)
    const current = last?.status === 'not_attempted' && last.error === undefined ? last : undefined
    const untouched = jobs.slice(results.length).map((job) => job.options.name)
    untouched.unshift(...results.filter((r) => r.status === 'not_attempted' && r !== current).map((r) => r.name))
    printer.warn(`interrupted: ${loaded.length} job(s) loaded before the interrupt${loaded.length > 0 ? `: ${names(loaded)}` : ''}`)
    if (current?.changed !== undefined) printer.warn(`job '${current.name}' was loaded; the wait for it to complete was interrupted`)
    else if (current) printer.warn(`the request for job '${current.name}' was under way: it may or may not have been applied`)
    if (untouched.length > 0) printer.warn(`not loaded: ${untouched.join(', ')}`)
  }

  process.prependListener('SIGINT', onInterrupt)
  return () => process.removeListener('SIGINT', onInterrupt)
}

export async function applyJobs(jobs: PlannedJob[], deps: ApplyDeps): Promise<{results: LoadResult[]; error?: ToolforgeError}> {
  const results: LoadResult[] = []
  const stopReporting = reportInterrupt(jobs, results, deps.printer)
  try {
    return await applyAll(jobs, deps, results)
  } finally {
    stopReporting()
  }
}

async function applyAll(jobs: PlannedJob[], deps: ApplyDeps, results: LoadResult[]): Promise<{results: LoadResult[]; error?: ToolforgeError}> {
  const {client, printer} = deps
  let firstFailure: ToolforgeError | undefined
  let stopped = false
  for (const {options, validated, jobType} of jobs) {
    const {name} = options
    const result: LoadResult = {name, job_type: jobType, status: 'not_attempted'}
    results.push(result)
    // An entry with `wait` gates the ones after it ("wait for this job before loading the next").
    if (stopped) continue

    printer.info(`loading job '${name}'...`)
    try {
      const update = await client.update(validated.payload)
      result.changed = update.jobChanged
      result.messages = update.messages
    } catch (error) {
      if (!(error instanceof ToolforgeError)) throw error
      printer.error(`failed to load job '${name}': ${error.message}`)
      result.status = 'failed'
      result.error = errorJson(error)
      firstFailure ??= error
      continue
    }

    // Q-JOBS-04: since 2026-07 the API's PATCH leaves one-off jobs alone (older versions created them).
    if (jobType === 'one-off' && !result.changed) {
      printer.warn(`job '${name}' was not started: the jobs API no longer runs one-off jobs from 'load'; use 'toolforge jobs run ${name} …' instead`)
      result.status = 'not_started'
      continue
    }

    if (validated.wait !== undefined) {
      const outcome = await waitForJob({name, timeoutSeconds: validated.wait, client, json: deps.json})
      result.wait = waitJson(outcome)
      const error = await waitError(outcome, name, validated.wait, deps.tool)
      if (error) {
        printer.error(error.message)
        for (const text of [error.details, error.display]) if (text) process.stderr.write(`${text}\n`)
        result.status = 'failed'
        result.error = errorJson(error)
        firstFailure ??= error
        stopped = true
        continue
      }

      printer.info(`job '${name}' completed`)
    }

    result.status = 'loaded'
  }

  const loaded = results.filter((r) => r.status === 'loaded')
  const notStarted = results.filter((r) => r.status === 'not_started')
  const failed = results.filter((r) => r.status === 'failed')
  const skipped = results.filter((r) => r.status === 'not_attempted')
  printer.info(`${loaded.length} job(s) loaded successfully${failed.length > 0 && loaded.length > 0 ? `: ${names(loaded)}` : ''}`)
  if (notStarted.length > 0) printer.warn(`${notStarted.length} one-off job(s) not started: ${names(notStarted)}`)
  if (!firstFailure) return {results}

  let message = `${failed.length} job(s) failed to load: ${names(failed)}`
  if (skipped.length > 0) message += `; not attempted after the failed wait: ${names(skipped)}`
  // The exit code is the first failure's: 1 for a refused job or a failed wait, 2 for server trouble or a timeout.
  return {results, error: new ToolforgeError(message, {exitCode: firstFailure.exitCode ?? EXIT_USER_ERROR})}
}
