import {homedir} from 'node:os'
import {join, posix} from 'node:path'

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

/** The tool's home inside its pods, as on Toolforge. */
export const podHome = (tool: string): string => `/data/project/${tool}`

/**
 * Where a file log path of a pod lives on this machine, or undefined when it is outside the tool home:
 * the sandbox writes only there. Relative paths are in the home and `..` is resolved by name; symlinks
 * are checked when the file is opened.
 */
export function hostPath(dataDir: string, tool: string, podPath: string): string | undefined {
  const inHome = homeRelative(tool, podPath)
  return inHome === undefined ? undefined : join(toolHomeDir(dataDir, tool), inHome)
}

/** The path relative to the tool home, or undefined when it is outside (or the home itself). */
export function homeRelative(tool: string, podPath: string): string | undefined {
  const home = podHome(tool)
  const absolute = posix.resolve(home, podPath)
  return absolute.startsWith(`${home}/`) ? absolute.slice(home.length + 1) : undefined
}

export function storePath(dataDir: string): string {
  return join(dataDir, 'state.sqlite')
}
