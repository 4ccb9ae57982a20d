import {setTimeout as sleep} from 'node:timers/promises'

import {type Build, type BuildsClient, FINISHED_STATUSES} from '../api/builds.js'
import type {ResponseMessages} from '../api/jobs-types.js'
import {formatBuild, shortImageName} from './format.js'

export interface WaitOptions {
  /** Between status checks. */
  intervalMs?: number
  /** Give up after this long; the build keeps running on the server. */
  timeoutMs?: number
  sleep?: (ms: number) => Promise<unknown>
}

/**
 * The log stream ends when the build's pods finish, but Tekton can take a moment longer to record
 * the outcome, so the status is polled until it is final (or we stop waiting).
 */
export async function waitForFinalStatus(
  client: BuildsClient,
  id: string,
  opts: WaitOptions = {},
): Promise<{build: Build; messages: ResponseMessages; finished: boolean}> {
  const intervalMs = opts.intervalMs ?? 2000
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000)
  const pause = opts.sleep ?? sleep
  for (;;) {
    const {build, messages} = await client.get(id)
    const finished = build.status !== undefined && FINISHED_STATUSES.has(build.status)
    if (finished || Date.now() + intervalMs > deadline) return {build, messages, finished}
    await pause(intervalMs)
  }
}

const OUTCOMES: Record<string, string> = {
  BUILD_FAILURE: 'failed',
  BUILD_TIMEOUT: 'timed out',
  BUILD_CANCELLED: 'was cancelled',
}

/** Why `build start` exits 1, or undefined when the build succeeded. */
export function failureMessage(build: Build, id: string, finished: boolean): string | undefined {
  if (build.status === 'BUILD_SUCCESS') return undefined
  if (!finished) {
    return `Build '${id}' has not finished yet (status: ${formatBuild(build).status}); check it later with \`toolforge build show ${id}\``
  }

  const outcome = OUTCOMES[build.status ?? ''] ?? `ended with status ${formatBuild(build).status}`
  return `Build '${id}' ${outcome}${build.message ? `: ${build.message}` : ''}`
}

/** What to tell the user after a successful build: the image and how to run it. */
export function successLines(build: Build, id: string, tool: string): string[] {
  const image = build.destination_image ?? ''
  const short = shortImageName(image, tool, build.parameters?.image_name)
  return [
    `Build '${id}' succeeded.`,
    `Image: ${image || short}`,
    `Run it with: toolforge jobs run --image ${short} --command '<command>' <job-name>`,
  ]
}
