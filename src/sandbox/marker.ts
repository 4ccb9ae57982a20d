// Variables `toolforge sandbox env` exports besides the connection settings, read by commands that
// must behave differently against a local sandbox.

import {DEFAULT_PORT} from './paths.js'

/** Set to the sandbox's data dir: the API these commands talk to is a local sandbox. */
export const SANDBOX_MARKER = 'TOOLFORGE_SANDBOX'
/** The tool's home directory, where `webservice` looks for its files instead of $HOME. */
export const TOOL_HOME_VARIABLE = 'TOOLFORGE_TOOL_HOME'

const quote = (value: string): string => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`)

/** Whether these commands point at a local sandbox, whose trouble is nothing to report to the Toolforge admins. */
export function inSandbox(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env[SANDBOX_MARKER])
}

/** For a sandbox that does not answer: how to start it again, on the port this shell was pointed at. */
export function sandboxStartHint(url: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dataDir = env[SANDBOX_MARKER]
  if (!dataDir) return undefined
  let port = DEFAULT_PORT
  try {
    port = Number(new URL(url ?? '').port || DEFAULT_PORT)
  } catch {
    // No URL to read the port from: suggest the default.
  }
  return `Is the sandbox running? Start it with: toolforge sandbox start --data-dir ${quote(dataDir)}${port === DEFAULT_PORT ? '' : ` --port ${port}`}`
}
