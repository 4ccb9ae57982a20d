import {Errors} from '@oclif/core'

import type {Build, BuildsClient} from '../api/builds.js'
import {EXIT_USER_ERROR, ToolforgeError, UserError} from '../api/errors.js'

export type BulkAction = 'cancel' | 'delete'

const VERBS = {cancel: {past: 'Cancelled', failed: 'cancelled'}, delete: {past: 'Deleted', failed: 'deleted'}}

/** Upstream's usage hints for `cancel`/`delete` without arguments (exit 1, as upstream). */
export function noBuildsError(action: BulkAction): UserError {
  return new UserError(`No build passed to ${action}.`, {details: `Example: toolforge build ${action} <build-id>`})
}

/** Ids and `--all` together are ambiguous; refuse rather than guess which one was meant. */
export function bothError(action: BulkAction): Errors.CLIError {
  return new Errors.CLIError(`Pass either build ids or --all to ${action}, not both.`, {exit: 2})
}

/**
 * Which builds `--all` acts on: every build for delete; only unfinished ones for cancel, since the
 * server refuses to cancel a finished build (409). Upstream never fetched the list (Q-BUILD-01, fixed).
 */
export function selectAll(action: BulkAction, builds: Build[]): string[] {
  const matching = action === 'cancel' ? builds.filter((b) => b.status === 'BUILD_PENDING' || b.status === 'BUILD_RUNNING') : builds
  return matching.map((b) => b.build_id).filter((id): id is string => typeof id === 'string' && id !== '')
}

export function confirmMessage(action: BulkAction, count: number): string {
  return `I'm going to ${action} ${count} builds, continue?`
}

export interface BulkResult {
  done: number
  /** Ids acted on successfully, in order. */
  succeeded: string[]
  failures: {id: string; error: Error}[]
}

/** Acts on each id in turn; one failure does not stop the others. */
export async function runBulk(ids: string[], act: (id: string) => Promise<void>, onError: (id: string, error: Error) => void): Promise<BulkResult> {
  const result: BulkResult = {done: 0, succeeded: [], failures: []}
  for (const id of ids) {
    try {
      await act(id)
      result.done++
      result.succeeded.push(id)
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error))
      result.failures.push({id, error: err})
      onError(id, err)
    }
  }

  return result
}

export function summary(action: BulkAction, result: BulkResult): string {
  return `${VERBS[action].past} ${result.done} builds`
}

/** The error `cancel`/`delete` exit with when some ids failed: the worst exit code among them. */
export function bulkFailure(action: BulkAction, result: BulkResult): ToolforgeError | undefined {
  if (result.failures.length === 0) return undefined
  const exitCode = Math.max(EXIT_USER_ERROR, ...result.failures.map((f) => (f.error instanceof ToolforgeError ? f.error.exitCode : EXIT_USER_ERROR)))
  const total = result.done + result.failures.length
  return new ToolforgeError(`${result.failures.length} of ${total} builds could not be ${VERBS[action].failed}`, {exitCode})
}

export interface BulkIo {
  confirm(message: string): Promise<void>
  error(message: string): void
  print(text: string): void
  /** Receives the outcome before a partial failure is thrown, so --json can still print it. */
  result?(result: BulkResult): void
}

/** The `--json` document of `build cancel` / `build delete` (docs/json.md). */
export function bulkJson(action: BulkAction, result: BulkResult): Record<string, unknown> {
  return {
    [action === 'cancel' ? 'cancelled' : 'deleted']: result.succeeded,
    failed: result.failures.map(({id, error}) => ({
      id,
      error: {
        message: error.message,
        exit_code: error instanceof ToolforgeError ? error.exitCode : EXIT_USER_ERROR,
        ...(error instanceof ToolforgeError && error.status ? {status: error.status} : {}),
      },
    })),
  }
}

/** `build cancel` / `build delete`: resolve the ids, ask once, act on each, report, fail if any failed. */
export async function bulkBuilds(
  action: BulkAction,
  client: BuildsClient,
  opts: {ids: string[]; all: boolean},
  io: BulkIo,
): Promise<BulkResult> {
  if (opts.all && opts.ids.length > 0) throw bothError(action)
  if (!opts.all && opts.ids.length === 0) throw noBuildsError(action)
  const ids = opts.all ? selectAll(action, (await client.list()).builds) : [...new Set(opts.ids)]
  if (ids.length > 0) await io.confirm(confirmMessage(action, ids.length))
  const act = action === 'cancel' ? (id: string) => client.cancel(id) : (id: string) => client.delete(id)
  const result = await runBulk(ids, act, (id, error) => io.error(error.message.includes(id) ? error.message : `${id}: ${error.message}`))
  io.print(summary(action, result))
  io.result?.(result)
  const failure = bulkFailure(action, result)
  if (failure) throw failure
  return result
}
