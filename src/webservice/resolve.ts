// Everything an action needs, resolved in upstream's order (webservice.md §1.3): command line, then
// service.template, then service.manifest, then defaults.

import {UserError} from '../api/errors.js'
import {type Action, BACKENDS, type BackendName} from './args.js'
import type {WebserviceConfig} from './config.js'
import type {Manifest} from './manifest.js'
import {shellQuote} from './spec.js'
import type {LoadedTemplate} from './template.js'
import {checkType, DEFAULT_TYPE, deprecationWarning, EMBEDDED_TYPES, type TypeInfo, type TypeTable} from './wstypes.js'

export const DEFAULT_BACKEND: BackendName = 'jobs-api'
const HELP_URL = 'https://wikitech.wikimedia.org/wiki/Help:Toolforge/Web'

export interface CliValues {
  backend?: BackendName
  type?: string
  mem?: string
  cpu?: string
  replicas?: number
  buildserviceImage?: string
  mount?: 'all' | 'none'
  healthCheckPath?: string
  /** Extra arguments given on the command line; undefined when none were. */
  extraArgs?: string[]
}

export interface Resolved {
  action: Action
  tool: string
  backend: BackendName
  typeName: string
  /** Set for the actions that run something (start, restart, shell), and wherever TYPE was given. */
  type?: TypeInfo
  mem?: string
  cpu?: string
  replicas: number
  /** Relative to the Harbor host, as stored in the manifest: `tool-<tool>/tool-<tool>:latest`. */
  buildserviceImage: string
  extraArgs: string[]
  mount?: 'all' | 'none'
  healthCheckPath?: string
  config: WebserviceConfig
  /** Lines for stderr, in order, already formatted. */
  notices: string[]
}

export interface ResolveInput {
  action: Action
  tool: string
  cli: CliValues
  template?: LoadedTemplate
  manifest: Manifest
  config: WebserviceConfig
  /** The types in force; default: the catalogue built into the CLI. */
  types?: TypeTable
  /** How the user invoked us (`toolforge webservice` or `webservice`) and the arguments, for hints. */
  prog: string
  argv: readonly string[]
}

const RUNS_SOMETHING = new Set<Action>(['start', 'restart', 'shell'])

/**
 * Whether `resolve` checks TYPE, and so needs the table of types. A TYPE that was typed (or is in the
 * template) is checked for every action, as upstream: a typo is worth reporting even on status. One
 * that only comes from service.manifest is checked just where something is run: a type the table no
 * longer has must never stand in the way of stopping, or looking at, what is running.
 */
export function checksType(action: Action, cli: Pick<CliValues, 'type'>, template?: LoadedTemplate): boolean {
  return RUNS_SOMETHING.has(action) || cli.type !== undefined || template?.values.type !== undefined
}

function chooseBackend(input: ResolveInput, notices: string[]): BackendName {
  const {cli, template, manifest} = input
  // A shell is always a pod of its own, whichever backend runs the webservice.
  if (input.action === 'shell') return 'kubernetes'
  const explicit = cli.backend ?? template?.values.backend
  const stored = manifest.values.backend
  if (explicit) return explicit
  if (stored) {
    if ((BACKENDS as readonly string[]).includes(stored)) return stored as BackendName
    throw new UserError(`Backend '${stored}' from ${manifest.path} is no longer supported`, {
      details: `  Remove the state file, then start your webservice again:\n    rm ${manifest.path}`,
    })
  }
  // Upstream's "explict" typo is fixed (Q-WS-05); the default is the jobs API now, not Kubernetes.
  notices.push(`WARNING: No explicit backend provided.\n  Using default of '${DEFAULT_BACKEND}'\n  For help refer to <${HELP_URL}>`)
  return DEFAULT_BACKEND
}

function checkBackendMatches(input: ResolveInput, backend: BackendName): void {
  const stored = input.manifest.values.backend
  if (input.action === 'shell' || stored === undefined || stored === backend) return
  const path = input.manifest.path
  throw new UserError(`Backend '${stored}' from ${path} does not match '${backend}'`, {
    details: [
      '  Try stopping your current webservice:',
      `    ${input.prog} stop`,
      '  Then try starting it again:',
      // Quoted where the shell needs it, so the line can be pasted back as it was typed.
      `    ${[input.prog, ...input.argv.map((word) => shellQuote(word))].join(' ')}`,
      '  If you have already tried that and it did not help, remove the state file before retrying:',
      `    rm ${path}`,
    ].join('\n'),
  })
}

export function resolve(input: ResolveInput): Resolved {
  const {action, tool, cli, manifest, config} = input
  const fromTemplate = input.template?.values ?? {}
  const stored = manifest.values
  const notices: string[] = []

  const backend = chooseBackend(input, notices)
  checkBackendMatches(input, backend)

  const typeName = cli.type ?? fromTemplate.type ?? stored.web ?? DEFAULT_TYPE
  let type: TypeInfo | undefined
  if (checksType(action, cli, input.template)) {
    type = checkType(input.types ?? EMBEDDED_TYPES, typeName, tool)
    if (type.state === 'deprecated') notices.push(deprecationWarning(typeName))
  }

  // The template is what the user edits, so it outranks the state file for extra arguments too
  // (upstream let a stale manifest win, §1.3 step 10). A shell runs only what was typed after it
  // (upstream ran the webservice's stored arguments as the shell's command).
  const extraArgs = action === 'shell' ? cli.extraArgs ?? [] : cli.extraArgs ?? fromTemplate.extraArgs ?? stored.extraArgs ?? []

  return {
    action,
    tool,
    backend,
    typeName,
    type,
    mem: cli.mem ?? fromTemplate.mem ?? stored.memory,
    cpu: cli.cpu ?? fromTemplate.cpu ?? stored.cpu,
    // An explicit `-r 1` means one replica; upstream read 1 as "unset" and kept the stored count (Q-WS-03).
    replicas: cli.replicas ?? fromTemplate.replicas ?? stored.replicas ?? 1,
    buildserviceImage: cli.buildserviceImage ?? fromTemplate.buildserviceImage ?? stored.buildserviceImage ?? `tool-${tool}/tool-${tool}:latest`,
    extraArgs,
    mount: cli.mount ?? fromTemplate.mount ?? (stored.mount === 'all' || stored.mount === 'none' ? stored.mount : undefined),
    healthCheckPath: cli.healthCheckPath ?? fromTemplate.healthCheckPath ?? stored.healthCheckPath,
    config,
    notices,
  }
}
