import {homedir} from 'node:os'
import {join} from 'node:path'

/** `$TOOLFORGE_SANDBOX_DIR`, else `$XDG_DATA_HOME/toolforge/sandbox`, else `~/.local/share/toolforge/sandbox`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TOOLFORGE_SANDBOX_DIR) return env.TOOLFORGE_SANDBOX_DIR
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, 'toolforge', 'sandbox')
  return join(homedir(), '.local', 'share', 'toolforge', 'sandbox')
}

export const DEFAULT_TOOL = 'tf-test'
export const DEFAULT_UID = 50001
export const DEFAULT_PORT = 30003

export function toolHomeDir(dataDir: string, tool: string): string {
  return join(dataDir, 'home', tool)
}

/**
 * Where a path inside a tool pod lives on this machine: everything under /data/project/<tool> is the
 * sandbox home of that tool; any other absolute path is taken literally, relative ones are in the home.
 */
export function hostPath(dataDir: string, tool: string, podPath: string): string {
  const m = /^\/data\/project\/([^/]+)(\/.*)?$/.exec(podPath)
  if (m) return join(toolHomeDir(dataDir, m[1]), m[2] ?? '')
  if (podPath.startsWith('/')) return podPath
  return join(toolHomeDir(dataDir, tool), podPath)
}

export function storePath(dataDir: string): string {
  return join(dataDir, 'state.sqlite')
}
