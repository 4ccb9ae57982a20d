import type {JobType, NewJob} from '../api/jobs-types.js'
import {
  bool, enumOf, type FieldError, type FieldParser, int, literal, type ModelSpec, parseModel, str, ValidationFailure,
} from './pydantic.js'

export const JOB_NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'

const healthCheck: FieldParser = (value, loc, errors) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    errors.push({loc, msg: 'Input should be a valid dictionary or object to extract fields from', type: 'model_attributes_type', input: value})
    return undefined
  }
  const tag = (value as Record<string, unknown>).type
  if (tag === undefined) {
    errors.push({loc, msg: "Unable to extract tag using discriminator 'type'", type: 'union_tag_not_found', input: value})
    return undefined
  }
  if (tag !== 'script' && tag !== 'http') {
    errors.push({loc, msg: `Input tag ${typeof tag === 'string' ? `'${tag}'` : String(tag)} found using 'type' does not match any of the expected tags: 'script', 'http'`, type: 'union_tag_invalid', input: value})
    return undefined
  }
  const spec: ModelSpec = tag === 'script'
    ? {type: {parse: literal('script'), required: true}, script: {parse: str(), required: true}}
    : {type: {parse: literal('http'), required: true}, path: {parse: str(), required: true}}
  const before = errors.length
  const parsed = parseModel(spec, value, `${loc}.${tag}.`, errors, tag === 'script' ? 'ScriptHealthCheck' : 'HttpHealthCheck')
  return errors.length === before ? parsed : undefined
}

const jobBase = (cmdRequired: boolean): ModelSpec => ({
  name: {parse: str({pattern: new RegExp(JOB_NAME_PATTERN), patternText: JOB_NAME_PATTERN, min: 1, max: 52}), required: true},
  imagename: {parse: str(), required: true},
  cmd: {parse: str(), required: cmdRequired},
  filelog: {parse: bool()},
  filelog_stdout: {parse: str(), nullable: true},
  filelog_stderr: {parse: str(), nullable: true},
  emails: {parse: enumOf(['none', 'all', 'onfinish', 'onfailure'])},
  mount: {parse: enumOf(['all', 'none'])},
  memory: {parse: str(), nullable: true},
  cpu: {parse: str(), nullable: true},
})

const retry = {parse: int({ge: 0, le: 5})}

export const MODELS: Record<'NewOneOffJob' | 'NewScheduledJob' | 'NewContinuousJob' | 'LegacyWebserviceJob', ModelSpec> = {
  NewOneOffJob: {
    ...jobBase(true),
    job_type: {parse: literal('one-off')},
    continuous: {parse: literal(false)},
    retry,
  },
  NewScheduledJob: {
    ...jobBase(true),
    job_type: {parse: literal('scheduled')},
    schedule: {parse: str(), required: true},
    timeout: {parse: int({ge: 0}), nullable: true},
    retry,
  },
  NewContinuousJob: {
    ...jobBase(true),
    job_type: {parse: literal('continuous')},
    continuous: {parse: literal(true)},
    replicas: {parse: int({ge: 0}), nullable: true},
    port: {parse: int({ge: 1, le: 65535}), nullable: true},
    port_protocol: {parse: enumOf(['tcp', 'udp'])},
    health_check: {parse: healthCheck, nullable: true},
    publish: {parse: str({pattern: /^\/$/, patternText: '^/$'})},
  },
  LegacyWebserviceJob: {
    ...jobBase(false),
    job_type: {parse: literal('webservice'), required: true},
    replicas: {parse: int({ge: 1}), nullable: true},
    port: {parse: int({ge: 1, le: 65535}), nullable: true},
    health_check: {parse: healthCheck, nullable: true},
  },
}

/** The request union is resolved by job_type when given, else by the type-specific fields (jobs.md §3.6). */
export function selectModel(body: unknown): keyof typeof MODELS {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'NewOneOffJob'
  const b = body as Record<string, unknown>
  if (b.job_type === 'one-off') return 'NewOneOffJob'
  if (b.job_type === 'scheduled') return 'NewScheduledJob'
  if (b.job_type === 'continuous') return 'NewContinuousJob'
  if ('schedule' in b) return 'NewScheduledJob'
  if (b.continuous === true || b.continuous === 'true') return 'NewContinuousJob'
  return 'NewOneOffJob'
}

export interface ParsedJobRequest {
  /** What the builders in src/kube take: job_type always set, port numeric. */
  job: NewJob
  /** Exactly the fields the client set, coerced (include_unset=false). */
  userSet: Record<string, unknown>
  webservice: boolean
}

const JOB_TYPES: Record<string, JobType> = {
  NewOneOffJob: 'one-off', NewScheduledJob: 'scheduled', NewContinuousJob: 'continuous', LegacyWebserviceJob: 'continuous',
}

export function parseJobRequest(body: unknown, opts: {webservice?: boolean} = {}): ParsedJobRequest {
  const model = opts.webservice ? 'LegacyWebserviceJob' : selectModel(body)
  const errors: FieldError[] = []
  const userSet = parseModel(MODELS[model], body, '', errors, model)
  if (errors.length > 0) throw new ValidationFailure(model, errors)

  const jobType = JOB_TYPES[model]
  const job = {...userSet, job_type: jobType} as unknown as NewJob & Record<string, unknown>
  if (jobType === 'continuous') {
    job.continuous = true
  } else {
    delete job.continuous
  }
  if (opts.webservice) {
    // The deprecated endpoint's webservice is a published continuous job (jobs.md §3.10).
    job.publish = '/'
    job.port ??= 8000
    job.cmd ??= ''
  }
  return {job, userSet: {...userSet, job_type: opts.webservice ? 'webservice' : jobType}, webservice: Boolean(opts.webservice)}
}
