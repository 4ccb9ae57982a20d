import type {Writable} from 'node:stream'

import type {Build, BuildsClient} from '../api/builds.js'
import type {ResponseMessages} from '../api/jobs-types.js'
import {takeOverInterrupt} from '../ui/interrupt.js'
import {startSpinner} from '../ui/spinner.js'
import {spinnersEnabled} from '../ui/terminal.js'
import {pipeLogs, WAITING_FOR_LOGS} from './logs.js'
import {waitForFinalStatus} from './wait.js'

export interface ShowLogsOptions {
  follow?: boolean
  out: Writable
  json?: boolean
  /** Ctrl-C ends the stream as a normal finish (exit 0), as `jobs logs --follow` does. */
  interruptEnds?: boolean
  /** One `{"line": …}` JSON object per log line (NDJSON), for `build logs --json`. */
  ndjson?: boolean
}

/**
 * `build logs` and `build start` share this: announce the wait (a spinner on a terminal, one line on
 * stderr otherwise, as upstream), then copy the build's log lines to `out`.
 */
export async function showLogs(client: BuildsClient, id: string, opts: ShowLogsOptions): Promise<void> {
  const spinning = !opts.json && spinnersEnabled()
  const spinner = spinning ? await startSpinner(WAITING_FOR_LOGS) : undefined
  if (!spinning) process.stderr.write(WAITING_FOR_LOGS + '\n')
  let interrupted = false
  let restoreInterrupt: (() => void) | undefined
  try {
    const stream = await client.logs(id, {follow: opts.follow})
    if (opts.interruptEnds) {
      restoreInterrupt = takeOverInterrupt(() => {
        interrupted = true
        stream.destroy()
      })
    }

    await pipeLogs(stream, opts.out, () => spinner?.stop(), opts.ndjson ? (line) => JSON.stringify({line}) : undefined)
  } catch (error) {
    if (!interrupted) throw error
  } finally {
    restoreInterrupt?.()
    spinner?.stop()
  }
}

/**
 * `build start` without --detach: follow the logs to the end, then fetch the outcome. Ctrl-C stops
 * watching, not the build, so say how to find it again before the usual exit 130.
 */
export async function followToEnd(
  client: BuildsClient,
  id: string,
  opts: {out: Writable; json: boolean},
): Promise<{build: Build; messages: ResponseMessages; finished: boolean}> {
  const hint = () => process.stderr.write(`\nThe build goes on: follow it with 'toolforge build logs -f ${id}', stop it with 'toolforge build cancel ${id}'.`)
  process.prependOnceListener('SIGINT', hint)
  try {
    await showLogs(client, id, {follow: true, out: opts.out, json: opts.json})
  } finally {
    process.removeListener('SIGINT', hint)
  }

  const spinner = await startSpinner(`Waiting for build '${id}' to report its final status`, {json: opts.json})
  try {
    return await waitForFinalStatus(client, id)
  } finally {
    spinner.stop()
  }
}
