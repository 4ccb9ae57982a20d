import {ServerError} from './errors.js'

/**
 * A request that is not safe to repeat (POST) failed in a way that does not say whether the server acted
 * on it: the connection dropped or timed out after the request went out, or a proxy answered 502/504
 * while the backend may still have been working. Callers that can look the result up (does the job
 * exist now?) should, before reporting anything; everyone else sees an ordinary server error (exit 2).
 */
export class UncertainOutcomeError extends ServerError {
  constructor(
    message: string,
    readonly method: string,
    readonly url: string,
    opts: {status?: number; cause?: unknown} = {},
  ) {
    super(message, opts)
  }
}

export function outcomeUncertain(error: unknown): error is UncertainOutcomeError {
  return error instanceof UncertainOutcomeError
}
