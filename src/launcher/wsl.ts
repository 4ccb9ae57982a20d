import {existsSync, readFileSync} from 'node:fs'
import {platform, release} from 'node:os'

/**
 * Whether this machine shows any sign of WSL, by the checks is-wsl makes (which also rules out a
 * container inside WSL). oclif names the platform `wsl` there, so code that answers for oclif
 * without loading it leaves such machines to oclif, and the wsl-utils stand-in to the real package.
 */
export function mightBeWsl(): boolean {
  if (platform() !== 'linux') return false
  if (release().toLowerCase().includes('microsoft')) return true
  try {
    if (readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft')) return true
  } catch {
    // No /proc: nothing suggests WSL.
  }

  return existsSync('/proc/sys/fs/binfmt_misc/WSLInterop') || existsSync('/run/WSL')
}
