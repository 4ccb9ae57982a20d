import {UserError} from '../api/errors.js'
import type {NewJob} from '../api/jobs-types.js'
import {cronApiErrorMessage, validateCron} from '../kube/cron.js'
import {decToNumber, isQuantity, parseQuantity} from '../kube/quantity.js'
import {buildPayload, isBuildserviceImage, type JobOptions, type OptionKey, parsePort} from './payload.js'

/** The job name rule of the API spec (CommonJob.name): a lower-case RFC 1123 subdomain of 1–52 characters. */
export const JOB_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
export const JOB_NAME_MAX_LENGTH = 52
export const RETRY_CHOICES = [0, 1, 2, 3, 4, 5] as const
export const EMAIL_CHOICES = ['none', 'all', 'onfinish', 'onfailure'] as const
export const MOUNT_CHOICES = ['all', 'none'] as const

/** A job definition the API would refuse (or that upstream refuses client-side); `key` names the option. */
export class JobValidationError extends UserError {
  constructor(
    message: string,
    readonly key?: OptionKey,
  ) {
    super(message)
  }
}

export interface ValidatedJob {
  payload: NewJob
  /** Seconds to wait for the job to finish, when asked to. */
  wait?: number
}

function fail(message: string, key?: OptionKey): never {
  throw new JobValidationError(message, key)
}

const set = (value: unknown): boolean => value !== undefined

// Far beyond any node (1 PiB, 100 000 cores): an exponent or a few extra digits typed by mistake, which
// the API would only refuse after a round trip, or worse, pass on to Kubernetes.
const MAX_QUANTITY = {mem: {value: 2 ** 50, text: '1Pi'}, cpu: {value: 100_000, text: '100000'}}

function checkQuantity(value: string, key: 'mem' | 'cpu'): void {
  // The API parses with the Kubernetes Python client's parse_quantity; we accept the same syntax minus
  // signs, blanks and digit underscores, which nobody means, and require a positive amount.
  const amount = /^[\d.]/.test(value) && !/[\s_]/.test(value) && isQuantity(value) ? decToNumber(parseQuantity(value)) : Number.NaN
  if (amount > MAX_QUANTITY[key].value) fail(`Invalid --${key} value '${value}': more than any node has (at most ${MAX_QUANTITY[key].text})`, key)
  if (amount > 0) return
  const examples = key === 'mem' ? '512Mi, 1G, 2Gi or 0.5Gi' : '500m, 1 or 0.5'
  fail(`Invalid --${key} value '${value}': expected a positive Kubernetes quantity such as ${examples}`, key)
}

function checkChoice(value: string, choices: readonly string[], key: OptionKey, flag: string): void {
  if (!choices.includes(value)) {
    fail(`argument --${flag}: invalid choice: '${value}' (choose from ${choices.map((c) => `'${c}'`).join(', ')})`, key)
  }
}

function checkInteger(value: number, key: OptionKey, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`
    fail(`Invalid --${flag} value '${value}': expected ${range}`, key)
  }
}

function checkNotEmpty(value: string | undefined, key: OptionKey, flag: string): void {
  if (value !== undefined && value.trim() === '') fail(`--${flag} must not be empty`, key)
  // No shell, path or HTTP header can carry one; it would only break the job somewhere downstream.
  if (value?.includes('\u0000')) fail(`--${flag} must not contain NUL characters`, key)
}

/**
 * Checks a job definition and builds its API payload, or throws JobValidationError (exit 1).
 *
 * Order: the mutually exclusive options (for `run` oclif reports these first as usage errors), then
 * upstream's client-side checks in upstream's order and wording (jobs.md §2.3 `get_api_payload`), then
 * the checks the API would make anyway (§3.6, §3.8), so a request that cannot succeed is never sent.
 */
export function validateJobOptions(opts: JobOptions): ValidatedJob {
  // Mutually exclusive groups: {--schedule | --continuous | --wait}, {--no-filelog | --filelog},
  // {--health-check-script | --health-check-http}. --schedule with --continuous is upstream's check 4 below.
  if (opts.filelog && opts.noFilelog) fail('--filelog and --no-filelog cannot be used together', 'noFilelog')
  if (set(opts.healthCheckScript) && set(opts.healthCheckHttp)) {
    fail('--health-check-script and --health-check-http cannot be used together', 'healthCheckHttp')
  }

  if (set(opts.wait) && set(opts.schedule)) fail('--wait cannot be used together with --schedule (only one-off jobs can be waited for)', 'wait')
  if (set(opts.wait) && opts.continuous) fail('--wait cannot be used together with --continuous (only one-off jobs can be waited for)', 'wait')

  // 1. filelog default: on, except for build service images (Q-JOBS-08 fixed in isBuildserviceImage).
  const filelogExplicit = Boolean(opts.filelog || opts.noFilelog)
  const filelog = opts.noFilelog ? false : opts.filelog ? true : !isBuildserviceImage(opts.image)
  const continuous = Boolean(opts.continuous)
  // 2.
  if (!continuous && (set(opts.healthCheckScript) || set(opts.healthCheckHttp))) {
    fail('Health checks are only supported for continuous jobs.', set(opts.healthCheckScript) ? 'healthCheckScript' : 'healthCheckHttp')
  }

  // 3.
  if (set(opts.healthCheckHttp) && !set(opts.port)) fail('--health-check-http requires --port to be set as well', 'healthCheckHttp')
  // 4.
  if (continuous && set(opts.schedule)) fail("Only one of 'continuous' and 'schedule' can be set at the same time", 'continuous')
  // 5., 6.
  if (!continuous && set(opts.port)) fail('--port is only valid for continuous jobs', 'port')
  if (!continuous && set(opts.replicas)) fail('--replicas is only valid for continuous jobs', 'replicas')
  // --publish (2026, jobs-api-publish.yaml): continuous jobs with a TCP port; the API's own texts (§3.8).
  if (opts.publish) {
    if (!continuous) fail('--publish is only valid for continuous jobs', 'publish')
    if (!set(opts.port)) fail('publish requires port to be set', 'publish')
    if (parsePort(opts.port!)?.protocol === 'udp') fail('publish requires port_protocol set to tcp', 'publish')
  }

  // 7. Q-JOBS-09 fixed: with a prebuilt image, --mount=none and no --filelog, upstream blamed the (defaulted)
  // file logs; the real problem is the mount, which the API refuses for prebuilt images anyway.
  if (opts.mount === 'none' && filelog) {
    if (filelogExplicit) fail('Specifying --filelog requires --mount=all', 'filelog')
    fail('Mount type none is only supported for build service images', 'mount')
  }

  // 8., 9.
  if (!filelog && (set(opts.filelogStdout) || set(opts.filelogStderr))) {
    fail('Specifying --filelog-stdout or --filelog-stderr requires --filelog', set(opts.filelogStdout) ? 'filelogStdout' : 'filelogStderr')
  }

  if (set(opts.timeout) && !set(opts.schedule)) fail('--timeout is only valid for scheduled jobs', 'timeout')
  // The API has no retry for continuous jobs (NewContinuousJob forbids extra fields), and it never had an effect.
  if (continuous && set(opts.retry)) fail('--retry is only valid for one-off and scheduled jobs', 'retry')

  // What the API checks itself.
  if (opts.name.length === 0 || opts.name.length > JOB_NAME_MAX_LENGTH) {
    fail(`Invalid job name '${opts.name}': it must be 1 to ${JOB_NAME_MAX_LENGTH} characters long`, 'name')
  }

  if (!JOB_NAME_PATTERN.test(opts.name)) {
    fail(
      `Invalid job name '${opts.name}': use lower case letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. 'my-job')`,
      'name',
    )
  }

  checkNotEmpty(opts.command, 'command', 'command')
  checkNotEmpty(opts.image, 'image', 'image')
  if (set(opts.schedule)) {
    const problem = validateCron(opts.schedule!)
    if (problem) fail(cronApiErrorMessage(opts.schedule!, problem), 'schedule')
  }

  if (set(opts.timeout)) checkInteger(opts.timeout!, 'timeout', 'timeout', 0)
  if (set(opts.retry) && !(RETRY_CHOICES as readonly number[]).includes(opts.retry!)) {
    fail(`argument --retry: invalid choice: ${opts.retry} (choose from ${RETRY_CHOICES.join(', ')})`, 'retry')
  }

  // Q-JOBS-06: the model accepts 0 replicas, the spec says at least 1; we follow the spec.
  if (set(opts.replicas)) checkInteger(opts.replicas!, 'replicas', 'replicas', 1)
  if (set(opts.port) && !parsePort(opts.port!)) {
    fail(`Invalid --port value '${opts.port}': expected a port number from 1 to 65535, optionally followed by /tcp or /udp (e.g. 8080, 8080/tcp, 8080/udp)`, 'port')
  }

  if (set(opts.mem)) checkQuantity(opts.mem!, 'mem')
  if (set(opts.cpu)) checkQuantity(opts.cpu!, 'cpu')
  if (set(opts.emails)) checkChoice(opts.emails!, EMAIL_CHOICES, 'emails', 'emails')
  if (set(opts.mount)) checkChoice(opts.mount!, MOUNT_CHOICES, 'mount', 'mount')
  checkNotEmpty(opts.filelogStdout, 'filelogStdout', 'filelog-stdout')
  checkNotEmpty(opts.filelogStderr, 'filelogStderr', 'filelog-stderr')
  checkNotEmpty(opts.healthCheckScript, 'healthCheckScript', 'health-check-script')
  checkNotEmpty(opts.healthCheckHttp, 'healthCheckHttp', 'health-check-http')
  if (set(opts.wait)) checkInteger(opts.wait!, 'wait', 'wait', 1)

  const validated: ValidatedJob = {payload: buildPayload(opts, filelog)}
  if (set(opts.wait)) validated.wait = opts.wait
  return validated
}

