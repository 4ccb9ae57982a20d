// Shapes of the jobs API (../shared/openapi/jobs-api.yaml 4.11.1, plus `publish` from 4.12.1).
// Hand-written rather than generated: the spec's allOf/oneOf unions generate types that are
// awkward to narrow, and these few shapes change rarely.

export type JobType = 'one-off' | 'scheduled' | 'continuous'
export type EmailOption = 'none' | 'all' | 'onfinish' | 'onfailure'
export type MountOption = 'all' | 'none'
export type PortProtocol = 'tcp' | 'udp'

export type HealthCheck = {type: 'script'; script: string} | {type: 'http'; path: string}

export interface ResponseMessages {
  info?: string[]
  warning?: string[]
  error?: string[]
}

/** Request body of create (POST) and update (PATCH). Unset keys are omitted, never null. */
export interface NewJob {
  name: string
  cmd: string
  imagename: string
  job_type: JobType
  filelog?: boolean
  filelog_stdout?: string
  filelog_stderr?: string
  emails?: EmailOption
  retry?: number
  mount?: MountOption
  memory?: string
  cpu?: string
  // scheduled
  schedule?: string
  timeout?: number
  // continuous
  continuous?: boolean
  replicas?: number
  port?: number
  port_protocol?: PortProtocol
  health_check?: HealthCheck
  publish?: string
}

export interface JobStatus {
  short: 'pending' | 'running' | 'succeeded' | 'failed' | 'unknown'
  messages?: string[]
  duration: string
  up_to_date?: boolean
  previous_schedule?: string
  next_schedule?: string
}

/** A job as the API returns it (list/show). With include_unset=false only user-set fields are present. */
export interface DefinedJob {
  name: string
  cmd: string
  imagename: string
  job_type: JobType | 'webservice'
  image?: string
  image_state?: string
  status_short?: string
  status_long?: string
  status?: JobStatus
  filelog?: boolean
  filelog_stdout?: string | null
  filelog_stderr?: string | null
  emails?: EmailOption
  retry?: number
  mount?: MountOption
  memory?: string | null
  cpu?: string | null
  schedule?: string
  schedule_actual?: string
  timeout?: number | null
  continuous?: boolean
  replicas?: number | null
  port?: number | null
  port_protocol?: PortProtocol
  health_check?: HealthCheck | null
  publish?: string
  /** Not in the upstream spec: the local sandbox says where it serves a published job. */
  publish_url?: string
}

export interface Image {
  shortname: string
  image: string
}

export interface QuotaItem {
  name: string
  limit?: string | null
  used?: string | null
}

export interface QuotaCategory {
  name: string
  items: QuotaItem[]
}

export interface LogLine {
  pod: string
  container: string
  datetime: string
  message: string
}
