// Stands in for `wsl-utils` as @oclif/core uses it (scripts/build-vendor.js) to tell WSL apart from
// Linux on every run. The real package is an ES module (its import alone starts Node's ES module
// loader, ~5 ms in a CommonJS run) that loads child_process, fs/promises and PowerShell helpers; on
// a machine with no sign of WSL the answer is simply false, as is-wsl would conclude from the same
// checks. Anything WSL-like, and PowerShell lookups (Windows only), use the real one.
// The build bundles this into the library bundle and has oclif call `load()` where it imported.
import {createRequire} from 'node:module'
import {pathToFileURL} from 'node:url'

import {mightBeWsl} from '../../src/launcher/wsl.ts'

/** The installed wsl-utils, resolved from @oclif/core's own location as its import would be. */
async function real() {
  const fromCore = createRequire(require.resolve('@oclif/core/package.json'))
  return import(pathToFileURL(fromCore.resolve('wsl-utils')).href)
}

/** What `await import('wsl-utils')` gives oclif. */
export async function load() {
  if (mightBeWsl()) return real()
  return {isWsl: false, powerShellPath: async () => (await real()).powerShellPath()}
}
