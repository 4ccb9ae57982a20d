import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'
import nock from 'nock'

import {restoreTerminalFakes} from './stubs.js'

// In-process commands run from src/ through tsx: oclif only transpiles on the fly outside "production",
// which is what it assumes when NODE_ENV is unset.
process.env.NODE_ENV ??= 'test'

// Unit tests never touch the network; tests that run local servers opt in to loopback explicitly.
nock.disableNetConnect()
process.env.NO_COLOR = '1'
// Keep retry back-off short so error-path tests stay fast; the retry count is unchanged.
process.env.TOOLFORGE_RETRY_BASE_MS = '5'
delete process.env.TOOLFORGE_DEBUG
delete process.env.TOOL_TOOLFORGE_API_URL
delete process.env.KUBECONFIG
delete process.env.TOOLFORGE_CA_FILE
delete process.env.TOOLFORGE_CONTENT_TYPE
// What `eval "$(toolforge sandbox env)"` leaves in a developer's shell must not change results.
delete process.env.TOOLFORGE_SANDBOX
delete process.env.TOOLFORGE_TOOL_HOME

/**
 * oclif finds commands through oclif.manifest.json when it exists, even in-process; a manifest older
 * than the sources hides new commands (exit 127) and tests would pass or fail for the wrong reason.
 */
function assertManifestCurrent(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url))
  const manifestPath = join(root, 'oclif.manifest.json')
  if (!existsSync(manifestPath)) return
  const commandsDir = join(root, 'src', 'commands')
  const ids = (readdirSync(commandsDir, {recursive: true}) as string[])
    .filter((file) => file.endsWith('.ts'))
    .map((file) => relative(commandsDir, join(commandsDir, file)).replace(/\.ts$/, '').replace(/(^|\/)index$/, '').split(sep).join(':'))
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {commands: Record<string, unknown>}
  const missing = ids.filter((id) => !(id in manifest.commands))
  if (missing.length > 0) {
    throw new Error(`oclif.manifest.json is stale (missing ${missing.join(', ')}): run \`npm run build\` or delete it`)
  }
}

assertManifestCurrent()

export const mochaHooks = {
  afterEach() {
    nock.cleanAll()
    restoreTerminalFakes()
  },
}
