// Exit codes shared by every command (config-auth.md §9, jobs CLI):
// 1 = the user can fix it (4xx, validation, a job that failed), 2 = server/connection trouble or a timeout.
export const EXIT_OK = 0
export const EXIT_USER_ERROR = 1
export const EXIT_SERVER_ERROR = 2
export const EXIT_INTERRUPTED = 130

export class ToolforgeError extends Error {
  readonly exitCode: number
  /** Extra lines shown after the message; also the `details` of the --json error line. */
  readonly details?: string
  /** Shown after the message to people only (the `show` table of a failed job): --json output has it as data. */
  readonly display?: string
  /** Shown only with --debug: the underlying reason behind a deliberately short message. */
  readonly debugDetails?: string
  /** HTTP status when the error came from an API response. */
  readonly status?: number

  constructor(message: string, opts: ErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : {cause: opts.cause})
    this.name = new.target.name
    this.exitCode = opts.exitCode ?? EXIT_USER_ERROR
    this.details = opts.details
    this.display = opts.display
    this.debugDetails = opts.debugDetails
    this.status = opts.status
  }
}

interface ErrorOptions {
  exitCode?: number
  details?: string
  display?: string
  debugDetails?: string
  status?: number
  cause?: unknown
}

/** Something the user can fix: bad input, 4xx, missing configuration. */
export class UserError extends ToolforgeError {
  constructor(message: string, opts: Omit<ErrorOptions, 'exitCode'> = {}) {
    super(message, {...opts, exitCode: EXIT_USER_ERROR})
  }
}

/** The service misbehaved or could not be reached; retrying later may help. */
export class ServerError extends ToolforgeError {
  constructor(message: string, opts: Omit<ErrorOptions, 'exitCode'> = {}) {
    super(message, {...opts, exitCode: EXIT_SERVER_ERROR})
  }
}

export class InterruptedError extends ToolforgeError {
  constructor(message = 'Interrupted') {
    super(message, {exitCode: EXIT_INTERRUPTED})
  }
}

/**
 * The command already told the user everything (a report, a table) and only the exit code is left to
 * set. Carries the --json result so a script still gets the data of a failed run.
 */
export class ReportedFailure extends ToolforgeError {
  /** `summary` becomes the --json error line after the result; people have seen the report itself. */
  constructor(exitCode: number, readonly result: unknown, summary: string) {
    super(summary, {exitCode})
  }
}
