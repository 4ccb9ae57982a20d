// What a data dir was first started with. Its state (jobs, envvars, the client certificate, the uid
// the tool's policy was written with) belongs to that tool, so later starts must not quietly change it.

import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {SandboxError} from './errors.js'
import {DEFAULT_TOOL, DEFAULT_UID} from './paths.js'

export interface SandboxSettings {
  tool: string
  uid: number
  /** ResourceQuota overrides, as KEY → VALUE. */
  quota: Record<string, string>
}

export const settingsPath = (dataDir: string): string => join(dataDir, 'sandbox.json')

export function readSettings(dataDir: string): SandboxSettings | undefined {
  let parsed: Partial<SandboxSettings>
  try {
    parsed = JSON.parse(readFileSync(settingsPath(dataDir), 'utf8')) as Partial<SandboxSettings>
  } catch {
    return undefined
  }
  if (typeof parsed.tool !== 'string' || !Number.isInteger(parsed.uid)) return undefined
  const quota = parsed.quota && typeof parsed.quota === 'object' ? parsed.quota : {}
  return {tool: parsed.tool, uid: parsed.uid!, quota: Object.fromEntries(Object.entries(quota).map(([k, v]) => [k, String(v)]))}
}

export function writeSettings(dataDir: string, settings: SandboxSettings): void {
  writeFileSync(settingsPath(dataDir), `${JSON.stringify(settings, null, 2)}\n`, {mode: 0o644})
}

const TOOL_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

/** Why `name` cannot be a Toolforge tool (only such names get a namespace and credentials), or undefined. */
export function toolNameProblem(name: string): string | undefined {
  if (TOOL_NAME.test(name) && name.length < 54) return undefined
  return `'${name}' is not a Toolforge tool name (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 53 characters)`
}

/**
 * The settings of this start: the stored ones, with --quota values merged in. A --tool or --uid
 * different from the stored one is refused rather than applied to state that belongs to another tool.
 */
export function resolveSettings(stored: SandboxSettings | undefined, given: {tool?: string; uid?: number; quota?: Record<string, string>}): SandboxSettings {
  const tool = given.tool ?? stored?.tool ?? DEFAULT_TOOL
  const problem = toolNameProblem(tool)
  if (problem) throw new SandboxError(problem)
  if (stored && tool !== stored.tool) {
    throw new SandboxError(`This sandbox's state belongs to tool '${stored.tool}', which it was first started with; start it without --tool, or run \`toolforge sandbox reset\` first to start over as '${tool}'`)
  }
  const uid = given.uid ?? stored?.uid ?? DEFAULT_UID
  if (stored && uid !== stored.uid) {
    throw new SandboxError(`This sandbox's tool '${tool}' was set up with uid ${stored.uid}; start it without --uid, or run \`toolforge sandbox reset\` first to start over with uid ${uid}`)
  }
  return {tool, uid, quota: {...stored?.quota, ...given.quota}}
}

/** The warning for a sandbox started by root: its jobs are local processes, so they run as root too. */
export function rootWarning(processUid: number | undefined, toolUid: number): string | undefined {
  if (processUid !== 0) return undefined
  return `running as root: the sandbox's jobs run as the user who starts it, so here as root (uid 0), not as the tool's uid ${toolUid}, which only the pod policy checks. Start the sandbox as an ordinary user.`
}
