import {ServerError, ToolforgeError} from '../api/errors.js'
import type {DefinedJob, NewJob} from '../api/jobs-types.js'
import type {JobsClient} from '../api/jobs.js'
import {outcomeUncertain} from '../api/outcome.js'

// `jobs run` creates with a POST, which the HTTP core never repeats: a second POST after a lost answer
// would start the job twice, or fail with "already exists" for a job that was in fact created. When the
// answer was lost, ask the API what happened before saying anything.

export interface CreateOutcome {
  job: DefinedJob | undefined
  /** Set when the create request failed but the job turned out to exist: the caller says so. */
  note?: string
}

function isNotFound(error: unknown): boolean {
  return error instanceof ToolforgeError && error.status === 404
}

/** Whether an existing job is the one this request would have created. */
function isOurs(job: DefinedJob, payload: NewJob): boolean {
  return job.cmd === payload.cmd && job.imagename === payload.imagename
}

function withDetails(error: ServerError, details: string): ServerError {
  return new ServerError(error.message, {status: error.status, details, cause: error.cause})
}

export async function createJob(client: Pick<JobsClient, 'create' | 'show'>, payload: NewJob): Promise<CreateOutcome> {
  try {
    return {job: await client.create(payload)}
  } catch (error) {
    if (!outcomeUncertain(error)) throw error
    const {name} = payload
    let existing: DefinedJob
    try {
      existing = await client.show(name)
    } catch (checkError) {
      if (isNotFound(checkError)) {
        throw withDetails(error, `Job '${name}' was not created (the jobs API has no such job); it is safe to run the command again.`)
      }

      const reason = checkError instanceof Error ? checkError.message : String(checkError)
      throw withDetails(
        error,
        `Whether job '${name}' was created is unknown: checking failed too (${reason}). Run 'toolforge jobs show ${name}' before trying again.`,
      )
    }

    if (!isOurs(existing, payload)) {
      throw withDetails(error, `A job named '${name}' exists, but with another command or image: this request did not create it.`)
    }

    return {
      job: existing,
      note: `the jobs API did not confirm the request (${error.message}), but job '${name}' exists with the requested command and image: it was created`,
    }
  }
}
