// Stands in for `wsl-utils` as @oclif/core imports it (scripts/build.js) to tell WSL apart from
// Linux on every run. The real package loads child_process, fs/promises and PowerShell helpers
// (~5 ms); on a machine with no sign of WSL the answer is simply false, as is-wsl would conclude
// from the same checks. Anything WSL-like, and PowerShell lookups (Windows only), use the real one.
import {existsSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {release} from 'node:os'
import {pathToFileURL} from 'node:url'

function mightBeWsl() {
  if (process.platform !== 'linux') return false
  if (release().toLowerCase().includes('microsoft')) return true
  try {
    if (readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft')) return true
  } catch {}

  return existsSync('/proc/sys/fs/binfmt_misc/WSLInterop') || existsSync('/run/WSL')
}

/** The installed wsl-utils, resolved from @oclif/core's own location as its import would be. */
async function real() {
  const require = createRequire(import.meta.url)
  const fromCore = createRequire(require.resolve('@oclif/core/package.json'))
  return import(pathToFileURL(fromCore.resolve('wsl-utils')).href)
}

export const isWsl = mightBeWsl() ? (await real()).isWsl : false

export async function powerShellPath() {
  return (await real()).powerShellPath()
}
