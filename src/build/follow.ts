import type {Writable} from 'node:stream'

import type {BuildsClient} from '../api/builds.js'
import {spinnersEnabled} from '../ui/terminal.js'
import {startSpinner} from '../ui/spinner.js'
import {pipeLogs, WAITING_FOR_LOGS} from './logs.js'

/**
 * `build logs` and `build start` share this: announce the wait (a spinner on a terminal, one line on
 * stderr otherwise, as upstream), then copy the build's log lines to `out`.
 */
export async function showLogs(client: BuildsClient, id: string, opts: {follow: boolean; out: Writable; json?: boolean}): Promise<void> {
  const spinning = !opts.json && spinnersEnabled()
  const spinner = spinning ? await startSpinner(WAITING_FOR_LOGS) : undefined
  if (!spinning) process.stderr.write(WAITING_FOR_LOGS + '\n')
  try {
    const stream = await client.logs(id, {follow: opts.follow})
    await pipeLogs(stream, opts.out, () => spinner?.stop())
  } finally {
    spinner?.stop()
  }
}
