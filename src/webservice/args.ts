// Positional arguments of `webservice`: upstream takes `[TYPE] ACTION [EXTRA…]` (an optional positional
// before a required one, webservice.md §1.2, Q-WS-01); we also accept `ACTION [TYPE]`, which is what
// people type after using any other subcommand. Values are validated here with upstream's messages.

import {EXIT_SERVER_ERROR, ToolforgeError} from '../api/errors.js'
import {parseQuantity} from '../kube/quantity.js'
import type {CliValues} from './resolve.js'

export const ACTIONS = ['start', 'stop', 'status', 'restart', 'shell', 'logs', 'types'] as const
export type Action = (typeof ACTIONS)[number]

export function isAction(word: string): word is Action {
  return (ACTIONS as readonly string[]).includes(word)
}

/** An argparse-style usage error: exit 2 like upstream. */
export class UsageError extends ToolforgeError {
  constructor(message: string) {
    super(message, {exitCode: EXIT_SERVER_ERROR})
  }
}

export interface Positionals {
  action: Action
  type?: string
  /** Arguments for the type (runner extra args, or the shell command). */
  extra: string[]
  /** True when extra arguments were given on the command line (possibly empty after `--`). */
  extraGiven: boolean
}

const CHOICES = ACTIONS.map((a) => `'${a}'`).join(', ')

/**
 * Split the raw argv at the first `--`: what follows belongs to the type, verbatim. A second leading `--`
 * is dropped too, because upstream's umbrella swallowed one and scripts learned to write two (T370184).
 */
export function splitExtra(argv: readonly string[]): {before: string[]; extra?: string[]} {
  const index = argv.indexOf('--')
  if (index === -1) return {before: [...argv]}
  let extra = argv.slice(index + 1)
  if (extra[0] === '--') extra = extra.slice(1)
  return {before: argv.slice(0, index), extra}
}

/**
 * Find TYPE and ACTION among the positionals (flags already removed). The action is the first word that
 * names one; a word before it is the type (upstream order), otherwise the word after it is.
 */
export function resolvePositionals(
  words: readonly string[],
  extraAfterDashes: readonly string[] | undefined,
  isType: (word: string) => boolean,
): Positionals {
  const unknownFlag = words.find((w) => w.startsWith('-') && w !== '-')
  if (unknownFlag) throw new UsageError(`unrecognized arguments: ${unknownFlag}`)
  const index = words.findIndex((w) => isAction(w))
  if (index === -1) {
    if (words.length === 0 || (words.length === 1 && isType(words[0]))) {
      throw new UsageError('the following arguments are required: ACTION')
    }
    const candidate = words.length > 1 ? words[1] : words[0]
    throw new UsageError(`argument ACTION: invalid choice: '${candidate}' (choose from ${CHOICES})`)
  }
  if (index > 1) throw new UsageError(`argument ACTION: invalid choice: '${words[1]}' (choose from ${CHOICES})`)

  const action = words[index] as Action
  // Either `TYPE ACTION rest…` or `ACTION TYPE rest…`: the type is the other of the first two words.
  const type = index === 1 ? words[0] : words[1]
  const rest = words.slice(2)
  const extra = [...rest, ...(extraAfterDashes ?? [])]
  return {action, type, extra, extraGiven: rest.length > 0 || extraAfterDashes !== undefined}
}

// Upstream's regex rejected decimals (`0.5`, `1.5Gi`, Q-WS-02); the API server accepts them, so do we.
const QUANTITY = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE])?$/

/** `argument -m/--mem: <v> is not a valid Kubernetes quantity` unless `value` is a positive quantity. */
export function checkQuantity(option: '-m/--mem' | '-c/--cpu', value: string): string {
  if (QUANTITY.test(value)) {
    const parsed = parseQuantity(value)
    if (parsed.coef > 0n) return value
  }
  throw new UsageError(`argument ${option}: ${value} is not a valid Kubernetes quantity`)
}

/** `-r/--replicas`: a positive integer (argparse `type=int` wording for non-numbers). */
export function checkReplicas(value: string | number): number {
  const text = String(value).trim()
  if (!/^[+-]?\d+$/.test(text)) throw new UsageError(`argument -r/--replicas: invalid int value: '${String(value)}'`)
  const n = Number(text)
  if (n < 1) throw new UsageError(`argument -r/--replicas: must be at least 1, got ${n}`)
  return n
}

export function checkLast(value: string | number): number {
  const text = String(value).trim()
  if (!/^\d+$/.test(text)) throw new UsageError(`argument -l/--last: invalid int value: '${String(value)}'`)
  return Number(text)
}

export function checkMount(value: string): 'all' | 'none' {
  if (value === 'all' || value === 'none') return value
  throw new UsageError(`argument --mount: invalid choice: '${value}' (choose from 'all', 'none')`)
}

export const BACKENDS = ['jobs-api', 'kubernetes'] as const
export type BackendName = (typeof BACKENDS)[number]

export function checkBackend(value: string): BackendName {
  if ((BACKENDS as readonly string[]).includes(value)) return value as BackendName
  throw new UsageError(`argument --backend: invalid choice: '${value}' (choose from 'jobs-api', 'kubernetes')`)
}

export function checkHealthCheckPath(value: string): string {
  if (value.startsWith('/')) return value
  throw new UsageError(`argument --health-check-path: '${value}' must start with '/'`)
}

export interface OptionFlags {
  backend?: string
  mem?: string
  cpu?: string
  replicas?: string
  'buildservice-image'?: string
  mount?: string
  'health-check-path'?: string
}

/** The command line's part of the settings, every value validated. */
export function cliValues(flags: OptionFlags, positionals: Positionals): CliValues {
  const check = <T>(value: string | undefined, fn: (v: string) => T) => (value === undefined ? undefined : fn(value))
  return {
    backend: check(flags.backend, checkBackend),
    type: positionals.type,
    mem: check(flags.mem, (v) => checkQuantity('-m/--mem', v)),
    cpu: check(flags.cpu, (v) => checkQuantity('-c/--cpu', v)),
    replicas: check(flags.replicas, checkReplicas),
    buildserviceImage: flags['buildservice-image'],
    mount: check(flags.mount, checkMount),
    healthCheckPath: check(flags['health-check-path'], checkHealthCheckPath),
    extraArgs: positionals.extraGiven ? positionals.extra : undefined,
  }
}
