// The `jobs-api` backend (the default): the webservice is the tool's continuous job `webservice`,
// published on `/` (jobs.md §3.10). Against a jobs API that predates `publish` we fall back to the
// deprecated webservice-job endpoint of jobs-api-webservice.yaml.
//
// Detection, kept simple and without an extra request: the create is sent as a published continuous job
// first; if the server answers 404/405 (no such route or method) or rejects `publish` as an unknown field
// (400/422, an API that predates it), it is sent once more to `deprecated_webservice_job`.


import {ToolforgeError, UserError} from '../api/errors.js'
import {isStatus} from '../api/kubernetes.js'
import type {DefinedJob} from '../api/jobs-types.js'
import type {JobsClient} from '../api/jobs.js'
import {streamLines} from '../api/ndjson.js'
import {type Backend, type LogLine, type LogOptions, type Status, upstreamTime} from './backend.js'
import type {Resolved} from './resolve.js'
import {continuousJobBody, legacyWebserviceJobBody, WEBSERVICE_JOB} from './spec.js'
import {EMBEDDED_TYPES, type TypeTable, typeOfImage} from './wstypes.js'

export const LEGACY_ENDPOINT = '/deprecated_webservice_job'

export function publishUnsupported(error: unknown): boolean {
  if (!(error instanceof ToolforgeError)) return false
  if (isStatus(error, 404) || isStatus(error, 405)) return true
  // pydantic's wording for a field the model does not have: "Extra inputs are not permitted" (v2) or
  // "extra fields not permitted" (v1), next to the field name.
  return (isStatus(error, 400) || isStatus(error, 422)) && /\bpublish\b/.test(error.message) && /extra (inputs|fields) (are )?not permitted/i.test(error.message)
}

function jobState(job: DefinedJob): Status['state'] {
  if (job.status?.short === 'running' || /^running\b/i.test(job.status_short ?? '')) return 'running'
  return 'pending'
}

export class JobsApiBackend implements Backend {
  readonly name = 'jobs-api' as const

  constructor(
    private readonly jobs: JobsClient,
    private readonly tool: string,
    /** To name the deployed type; default: the catalogue built into the CLI. */
    private readonly types: TypeTable = EMBEDDED_TYPES,
  ) {}

  private async job(): Promise<DefinedJob | undefined> {
    try {
      return await this.jobs.show(WEBSERVICE_JOB)
    } catch (error) {
      if (isStatus(error, 404)) return undefined
      throw error
    }
  }

  async status(): Promise<Status> {
    const job = await this.job()
    if (!job) return {state: 'stopped'}
    return {state: jobState(job), type: typeOfImage(this.types, job.imagename ?? job.image ?? '', this.tool), ...(job.publish_url ? {url: job.publish_url} : {})}
  }

  async plan(resolved: Resolved): Promise<unknown[]> {
    return [continuousJobBody(resolved)]
  }

  async start(resolved: Resolved): Promise<void> {
    try {
      await this.jobs.create(continuousJobBody(resolved))
    } catch (error) {
      if (!publishUnsupported(error)) throw error
      try {
        await this.jobs.http.post(LEGACY_ENDPOINT, legacyWebserviceJobBody(resolved))
      } catch (legacyError) {
        if (!isStatus(legacyError, 404) && !isStatus(legacyError, 405)) throw legacyError
        throw new UserError('This jobs API can run neither published continuous jobs nor webservice jobs.', {
          details: 'Use the Kubernetes backend instead: add --backend=kubernetes',
          debugDetails: `publish: ${(error as Error).message}; ${LEGACY_ENDPOINT}: ${(legacyError as Error).message}`,
        })
      }
    }
  }

  async stop(): Promise<void> {
    try {
      await this.jobs.delete(WEBSERVICE_JOB)
    } catch (error) {
      if (!isStatus(error, 404)) throw error
    }
  }

  /**
   * Apply the (possibly changed) options with an update, which redeploys when anything differs; when
   * nothing does, ask for a plain restart. A server without `publish` cannot update a webservice job, so
   * there the job is only restarted.
   */
  async restart(resolved: Resolved): Promise<() => Promise<Status>> {
    let changed = false
    try {
      changed = (await this.jobs.update(continuousJobBody(resolved))).jobChanged
    } catch (error) {
      if (!publishUnsupported(error)) throw error
    }
    if (!changed) await this.jobs.restart(WEBSERVICE_JOB)
    return async () => this.status()
  }

  async logs(opts: LogOptions, line: (entry: LogLine) => void): Promise<void> {
    let stream
    try {
      stream = await this.jobs.logs(WEBSERVICE_JOB, {follow: opts.follow, lines: opts.last})
    } catch (error) {
      // No job, or a job without logs: the same "nothing to show" as upstream's empty result.
      if (isStatus(error, 404)) return
      throw error
    }
    for await (const {text} of streamLines(stream)) {
      let record: Record<string, unknown>
      try {
        record = JSON.parse(text) as Record<string, unknown>
      } catch {
        record = {message: text}
      }
      const str = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : '')
      line({datetime: upstreamTime(str('datetime')), pod: str('pod'), container: str('container') || undefined, message: str('message')})
    }
  }
}
