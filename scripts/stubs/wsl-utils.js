// Stands in for `wsl-utils` as @oclif/core imports it (scripts/build.js) to tell WSL apart from
// Linux on every run. The real package loads child_process, fs/promises and PowerShell helpers
// (~5 ms); on a machine with no sign of WSL the answer is simply false, as is-wsl would conclude
// from the same checks. Anything WSL-like, and PowerShell lookups (Windows only), use the real one.
// Built into dist/vendor/wsl-utils.js with the checks it shares with the launcher.
import {createRequire} from 'node:module'
import {pathToFileURL} from 'node:url'

import {mightBeWsl} from '../../src/launcher/wsl.ts'

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
