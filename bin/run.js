#!/usr/bin/env node
// Start-up time is what users feel most, so this file does as little as it can before handing
// over to oclif. It is CommonJS (bin/package.json): an ES module entry point costs ~5 ms more,
// and the answers that need no oclif never pay it:
// - `--version`, completion requests and help, answered from package.json and the manifests
//   (src/launcher/route.ts decides, src/launcher/fast.ts answers completion and help).
// Everything else loads the bundled build (scripts/build.js; CommonJS, like this file) and runs
// oclif; our own commands without oclif's plugins.
'use strict'

const {readdirSync, readFileSync} = require('node:fs')
const module_ = require('node:module')
const {join} = require('node:path')

const root = join(__dirname, '..')
const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

/** The launcher's first decisions (src/launcher/route.ts); undefined when not built. */
function router() {
  try {
    return require('../dist/launcher/route.cjs')
  } catch {
    return undefined
  }
}

/**
 * Completion and help from the manifests (src/launcher/fast.ts), compiled once and then taken from
 * V8's code cache like the libraries (src/launcher/code-cache.ts). False: oclif answers instead.
 */
function answeredWithoutOclif() {
  try {
    const {loadBundle} = require('../dist/launcher/code-cache.cjs')
    // Named by content (fast-<hash>.cjs), so that no build runs the compiled code of another.
    const launcher = join(root, 'dist', 'launcher')
    const bundle = readdirSync(launcher).find((name) => /^fast-[\da-f]+\.cjs$/.test(name))
    const fast = loadBundle(join(launcher, bundle), {bin: pjson.oclif.bin, dirname: pjson.oclif.dirname ?? pjson.oclif.bin})
    return fast.answer(root, pjson, argv)
  } catch {
    return false
  }
}

async function runOclif(loadOptions) {
  // Node >= 22.1 can keep V8's compiled code of the modules under dist/ between runs (as tsc's own
  // launcher does); on Node 20 the function does not exist and dist/vendor/ has its own cache.
  module_.enableCompileCache?.()
  let oclif
  try {
    oclif = require('../dist/oclif.js')
  } catch (error) {
    if (error?.code !== 'MODULE_NOT_FOUND' || !error.message.includes('dist/oclif.js')) throw error
    process.stderr.write(`${pjson.oclif.bin} is not built: run \`npm run build\` in ${root}\n`)
    process.exit(1)
  }

  // package.json is already parsed: hand it over instead of letting oclif find and read it again.
  // User plugins (oclif's `plugins install`) are not offered by this CLI, so skip looking for them.
  await oclif.execute({loadOptions: loadOptions ?? {root, pjson, userPlugins: false}})
}

const launcher = router()
// oclif reads process.argv itself, so options upstream takes before the command leave it here.
const argv = launcher?.applyLeadingOptions(process.argv.slice(2), process.env) ?? process.argv.slice(2)
process.argv.splice(2, Infinity, ...argv)
const version = launcher?.versionLine(pjson, argv)
if (version) {
  process.stdout.write(version + '\n')
} else {
  const where = launcher?.route(root, pjson, argv) ?? {kind: 'oclif'}
  if ((where.kind === 'complete' || where.kind === 'help') && answeredWithoutOclif()) {
    process.exitCode = 0
  } else if (where.kind === 'usage') {
    // As BaseCommand reports a usage error: one JSON line under --json, else the ERROR line.
    const json = argv.includes('--json') || process.env.TOOLFORGE_CONTENT_TYPE === 'json'
    process.stderr.write(json ? JSON.stringify({error: {message: where.message, exit_code: 2}}) + '\n' : `ERROR: ${where.message}\n`)
    process.exitCode = 2
  } else if (where.kind === 'own') {
    process.argv.splice(2, Infinity, ...where.argv)
    runOclif(where.loadOptions)
  } else {
    runOclif()
  }
}
