import type {Shape} from './shape.js'

// The fields each renderer reads, with the types the OpenAPI specs give them (jobs-api 4.11/4.12,
// builds-api 2.4). Kept apart from the hand-written TypeScript types, which say what we send and expect;
// these say what we are willing to render.

const STATUS: Shape = {short: 'string?', messages: 'array?', duration: 'string?'}
const HEALTH_CHECK: Shape = {type: 'string', script: 'string?', path: 'string?'}

export const JOB: Shape = {
  name: 'string',
  cmd: 'string?',
  imagename: 'string?',
  image: 'string?',
  image_state: 'string?',
  job_type: 'string?',
  status_short: 'string?',
  status_long: 'string?',
  status: {optional: STATUS},
  filelog: 'boolean?',
  filelog_stdout: 'string?',
  filelog_stderr: 'string?',
  emails: 'string?',
  retry: 'integer?',
  mount: 'string?',
  memory: 'string?',
  cpu: 'string?',
  schedule: 'string?',
  schedule_actual: 'string?',
  timeout: 'integer?',
  continuous: 'boolean?',
  replicas: 'integer?',
  port: 'integer?',
  port_protocol: 'string?',
  health_check: {optional: HEALTH_CHECK},
  publish: 'string?',
}

export const IMAGE: Shape = {shortname: 'string', image: 'string?'}

export const QUOTA_CATEGORY: Shape = {name: 'string', items: 'array'}
export const QUOTA_ITEM: Shape = {name: 'string', limit: 'string?', used: 'string?'}

const BUILD_PARAMETERS: Shape = {
  source_url: 'string?',
  ref: 'string?',
  envvars: 'strings?',
  image_name: 'string?',
  use_latest_versions: 'boolean?',
  use_deprecated_versions: 'boolean?',
}

export const BUILD: Shape = {
  build_id: 'string?',
  status: 'string?',
  message: 'string?',
  start_time: 'string?',
  end_time: 'string?',
  parameters: {optional: BUILD_PARAMETERS},
  destination_image: 'string?',
  resolved_ref: 'string?',
}

export const BUILD_QUOTA_CATEGORY: Shape = {name: 'string?', items: 'array?'}
