import type {EmailOption, HealthCheck, JobType, MountOption, NewJob, PortProtocol} from '../api/jobs-types.js'

/**
 * What a job definition says, in the vocabulary of the `run` flags (jobs.md §2.3) and of the `jobs.yaml`
 * keys (§4.1), which are the same. `run` and `load` both build one of these and hand it to
 * `validateJobOptions()` (validate.ts), so a job is checked the same way whichever way it was written.
 * Unset options are `undefined`; nothing here has been validated yet.
 */
export interface JobOptions {
  name: string
  command: string
  image: string
  /** `--filelog` was given. */
  filelog?: boolean
  /** `--no-filelog` was given. */
  noFilelog?: boolean
  filelogStdout?: string
  filelogStderr?: string
  retry?: number
  mem?: string
  cpu?: string
  emails?: string
  mount?: string
  timeout?: number
  schedule?: string
  continuous?: boolean
  /** Seconds to wait for a one-off job to finish (bare `--wait` / `wait: true` = 600). */
  wait?: number
  healthCheckScript?: string
  healthCheckHttp?: string
  /** As written: `8080`, `8080/tcp`, `8080/udp`. */
  port?: string
  replicas?: number
  publish?: boolean
}

export type OptionKey = keyof JobOptions

/** The flag / `jobs.yaml` key of each option, for messages that name the offending key. */
export const OPTION_KEYS: Readonly<Record<OptionKey, string>> = {
  name: 'name',
  command: 'command',
  image: 'image',
  filelog: 'filelog',
  noFilelog: 'no-filelog',
  filelogStdout: 'filelog-stdout',
  filelogStderr: 'filelog-stderr',
  retry: 'retry',
  mem: 'mem',
  cpu: 'cpu',
  emails: 'emails',
  mount: 'mount',
  timeout: 'timeout',
  schedule: 'schedule',
  continuous: 'continuous',
  wait: 'wait',
  healthCheckScript: 'health-check-script',
  healthCheckHttp: 'health-check-http',
  port: 'port',
  replicas: 'replicas',
  publish: 'publish',
}

export const DEFAULT_WAIT_SECONDS = 600

/**
 * Whether an image is a build service image, which decides the client-side `filelog` default and, in
 * `dump`, which `filelog`/`mount` values are defaults.
 *
 * Q-JOBS-08 fixed deliberately: upstream tests `"/" in image`, so a prebuilt image given by its full URL
 * (`docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web:latest`) lost its file logs. Build
 * service images are the ones in a tool's Harbor project: `[<host>/]tool-<tool>/<image>[:tag][@digest]`.
 */
export function isBuildserviceImage(image: string): boolean {
  return /(^|\/)tool-[^/]+\/[^/]+$/.test(image)
}

export interface ParsedPort {
  port: number
  /** Only when written explicitly (`8080/udp`); the API defaults to tcp. */
  protocol?: PortProtocol
}

/** `8080`, `8080/tcp`, `8080/udp` → number + protocol; undefined when malformed or out of 1–65535. */
export function parsePort(text: string): ParsedPort | undefined {
  const slash = text.indexOf('/')
  const number = slash === -1 ? text : text.slice(0, slash)
  const protocol = slash === -1 ? undefined : text.slice(slash + 1)
  if (!/^\d{1,5}$/.test(number)) return undefined
  const port = Number(number)
  if (port < 1 || port > 65_535) return undefined
  if (protocol !== undefined && protocol !== 'tcp' && protocol !== 'udp') return undefined
  return protocol === undefined ? {port} : {port, protocol}
}

export function jobTypeOf(opts: Pick<JobOptions, 'schedule' | 'continuous'>): JobType {
  if (opts.continuous) return 'continuous'
  if (opts.schedule !== undefined) return 'scheduled'
  return 'one-off'
}

/**
 * The request body for create (POST) and update (PATCH), from options that passed validation.
 * Upstream's payload rules (jobs.md §2.3): unset keys are dropped and `filelog` is always sent, resolved
 * by the caller. Deliberate differences: `job_type` is always sent (the spec's `oneOf` needs it to pick one
 * schema) and `port` is an integer, the spec's type (Q-JOBS-12 fixed). `continuous: true` is kept for
 * continuous jobs as upstream sends it; the spec still accepts it.
 */
export function buildPayload(opts: JobOptions, filelog: boolean): NewJob {
  const jobType = jobTypeOf(opts)
  const payload: NewJob = {name: opts.name, cmd: opts.command, imagename: opts.image, job_type: jobType}
  if (jobType === 'continuous') payload.continuous = true
  if (jobType === 'scheduled') payload.schedule = opts.schedule
  payload.filelog = filelog
  if (opts.filelogStdout !== undefined) payload.filelog_stdout = opts.filelogStdout
  if (opts.filelogStderr !== undefined) payload.filelog_stderr = opts.filelogStderr
  if (opts.retry !== undefined) payload.retry = opts.retry
  if (opts.emails !== undefined) payload.emails = opts.emails as EmailOption
  if (opts.mount !== undefined) payload.mount = opts.mount as MountOption
  if (opts.mem !== undefined) payload.memory = opts.mem
  if (opts.cpu !== undefined) payload.cpu = opts.cpu
  if (opts.timeout !== undefined) payload.timeout = opts.timeout
  if (opts.replicas !== undefined) payload.replicas = opts.replicas
  if (opts.port !== undefined) {
    const parsed = parsePort(opts.port)
    if (parsed) {
      payload.port = parsed.port
      if (parsed.protocol) payload.port_protocol = parsed.protocol
    }
  }

  const healthCheck: HealthCheck | undefined =
    opts.healthCheckScript === undefined
      ? opts.healthCheckHttp === undefined
        ? undefined
        : {type: 'http', path: opts.healthCheckHttp}
      : {type: 'script', script: opts.healthCheckScript}
  if (healthCheck) payload.health_check = healthCheck
  if (opts.publish) payload.publish = '/'
  return payload
}
