#!/usr/bin/env node
// Start-up time is what users feel most, so this file does as little as it can before handing
// over to oclif: `--version` is answered here without loading oclif, and everything else loads
// the bundled build (scripts/build.js) rather than hundreds of files from node_modules.
import {readFileSync} from 'node:fs'
import module from 'node:module'
import {arch, platform, release} from 'node:os'
import {dirname} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const argv = process.argv.slice(2)

/**
 * oclif's version line, `<name>/<version> <platform>-<arch> node-<version>`, when we can produce
 * it identically. oclif reports WSL as platform `wsl`; rather than reimplement that detection,
 * anything that might be WSL, and any init hook (which oclif runs first), is left to oclif.
 */
function versionLine() {
  const versionFlags = ['--version', ...(pjson.oclif.additionalVersionFlags ?? [])]
  if (!versionFlags.includes(argv[0]) || pjson.oclif.hooks?.init) return undefined
  if (platform() === 'linux' && (release().toLowerCase().includes('microsoft') || procVersion().includes('microsoft'))) return undefined
  const cpu = arch() === 'ia32' ? 'x86' : arch()
  return `${pjson.name}/${pjson.version} ${platform()}-${cpu} node-${process.version}`
}

function procVersion() {
  try {
    return readFileSync('/proc/version', 'utf8').toLowerCase()
  } catch {
    return ''
  }
}

/** Every TAB runs `toolforge __complete -- <words>`: answered from the manifests and the cache, without oclif. */
async function completedWithoutOclif() {
  if (argv[0] !== '__complete' || argv[1] !== '--') return false
  try {
    const completion = await import('../dist/completion/run.js')
    return completion.completeFromManifests(root, pjson, argv)
  } catch {
    // Not built, or anything unexpected: oclif's own path below answers (or stays silent) instead.
    return false
  }
}

const version = versionLine()
if (version) {
  process.stdout.write(version + '\n')
} else if (await completedWithoutOclif()) {
  process.exitCode = 0
} else {
  // Node >= 22.1 can keep V8's compiled code between runs (as tsc's own launcher does); on Node 20
  // the function does not exist and this is a no-op.
  module.enableCompileCache?.()
  let oclif
  try {
    oclif = await import('../dist/oclif.js')
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !error.message.includes('dist/oclif.js')) throw error
    process.stderr.write(`${pjson.oclif.bin} is not built: run \`npm run build\` in ${root}\n`)
    process.exit(1)
  }

  // package.json is already parsed: hand it over instead of letting oclif find and read it again.
  // User plugins (oclif's `plugins install`) are not offered by this CLI, so skip looking for them.
  await oclif.execute({loadOptions: {root, pjson, userPlugins: false}})
}
