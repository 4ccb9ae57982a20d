// What the actions need from a backend (jobs API or Kubernetes), and the output channel they write to.

import {setTimeout as delay} from 'node:timers/promises'

import type {BackendName} from './args.js'
import type {Resolved} from './resolve.js'

/** Upstream's state model (webservice.md §1.5): PENDING = objects exist but nothing runs yet. */
export type State = 'running' | 'pending' | 'stopped'

export interface Status {
  state: State
  /** The type actually deployed, when the backend can tell (Q-WS-09). */
  type?: string
  /** Where the server says the webservice is published, when it says (the local sandbox does). */
  url?: string
}

export interface LogOptions {
  follow: boolean
  last?: number
}

export interface LogLine {
  /** ISO 8601 with seconds and an explicit offset, as upstream prints it. */
  datetime: string
  pod: string
  container?: string
  message: string
}

export interface Backend {
  readonly name: BackendName
  status(): Promise<Status>
  /** What `start` would send, without sending it: Kubernetes objects or jobs API request bodies. */
  plan(resolved: Resolved): Promise<unknown[]>
  /** Create the webservice (the caller has checked it is stopped). */
  start(resolved: Resolved): Promise<void>
  /** Remove everything the webservice consists of. */
  stop(): Promise<void>
  /**
   * Roll the running webservice over to `resolved`; resolves to a check whose `running` state means the
   * new version is up (its `url` is then the one that version is published at, when the server says).
   */
  restart(resolved: Resolved): Promise<() => Promise<Status>>
  /** Calls `line` for each log line; resolves when the logs end (never, when following). */
  logs(opts: LogOptions, line: (entry: LogLine) => void): Promise<void>
}

/** Where actions write: progress and results on stdout (stderr under --json), notices on stderr. */
export interface ActionIO {
  /** Raw text, no newline added (prompts and their dots). */
  progress(text: string): void
  /** One result line. */
  result(line: string): void
  /** Raw lines for stderr (upstream's un-prefixed messages such as `DEPRECATED: …`). */
  notice(text: string): void
  warn(message: string): void
}

/**
 * upstream's `wait_for`: the prompt, then a dot per failed check, once per `intervalMs`, until `check`
 * passes or `timeoutSeconds` are over, then a newline. Returns whether the check passed.
 */
export async function waitFor(
  check: () => Promise<boolean>,
  opts: {prompt?: string; timeoutSeconds: number; intervalMs?: number; io: ActionIO},
): Promise<boolean> {
  const {io, prompt} = opts
  const interval = opts.intervalMs ?? 1000
  const deadline = Date.now() + opts.timeoutSeconds * 1000
  if (prompt) io.progress(prompt)
  let ok = await check()
  while (!ok && Date.now() < deadline) {
    if (prompt) io.progress('.')
    await delay(Math.max(0, Math.min(interval, deadline - Date.now())))
    ok = await check()
  }
  if (prompt) io.progress('\n')
  return ok
}

const K8S_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?$/

/** `datetime.replace(microsecond=0).isoformat("T")` of an RFC 3339 time: `2023-05-10T12:00:01+00:00`. */
export function upstreamTime(text: string): string {
  const m = K8S_TIME.exec(text)
  if (!m) return text
  const zone = m[2] === undefined || m[2] === 'Z' ? '+00:00' : m[2].includes(':') ? m[2] : `${m[2].slice(0, 3)}:${m[2].slice(3)}`
  return `${m[1]}${zone}`
}

export function formatLogLine(entry: LogLine): string {
  return `${entry.datetime} [${entry.pod}] ${entry.message}`
}
