#!/usr/bin/env node
// Emits dist/ for the CLI. `npm run build` type-checks with tsc first and writes the oclif
// manifest after; this step decides what the runtime has to load, because start-up time is
// dominated by module loading: @oclif/core and axios alone are a few hundred small files.
//
// - Each entry point (every command, the help class, the sandbox daemon, dist/oclif.js) becomes one
//   CommonJS file under dist/ at the same relative path, with the code of ours it imports inlined:
//   oclif finds commands by those paths and dev mode maps them back to src/, and a command then
//   loads a single module of ours instead of twenty-odd. CommonJS because nothing on the way from
//   bin/run.js to a command's answer then starts Node's ES module loader (~10 ms for `jobs list`);
//   dist/package.json says so, as the root package.json says "module" for the sources.
// - The libraries nearly every command loads (@oclif/core, yaml, axios, cli-table3) become one
//   CommonJS bundle under dist/vendor/ that runs with V8's code cache (scripts/build-vendor.js).
//   One bundle means one @oclif/core instance for bin/run.js (via dist/oclif.js) and all commands.
// - Packages only some runs need (ora, @inquirer/prompts, ws) are one ES module each under
//   dist/vendor/, reached by import() when used.
//
// `node scripts/build.js --report` also lists the size of each entry point.
import {mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import * as esbuild from 'esbuild'

import {buildLazyVendors, buildVendorBundle, contentHash, escapeNonAscii, libraryEditsPlugin, resolveVendorSpecifiers, routeDynamicImports, vendorImports} from './build-vendor.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const src = join(root, 'src')
const dist = join(root, 'dist')

// Native addons, and the TypeScript loaders oclif only reaches for in development.
const EXTERNAL = ['better-sqlite3', 'typescript', 'ts-node', 'tsx']

function sourceFiles(dir) {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && /\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
}

// axios on Node needs only its http adapter, which is all src/api/http.ts uses (JSON bodies, `proxy:
// false`, `maxRedirects: 0`). Its other paths stay out of the bundle, since every API command pays
// to load them: form-data (multipart bodies), https-proxy-agent and follow-redirects become the
// stubs under scripts/stubs/, which throw if they are ever reached; see the comments there.
const STUBBED_PACKAGES = {
  'form-data': './scripts/stubs/form-data.js',
  'https-proxy-agent': './scripts/stubs/https-proxy-agent.js',
  'follow-redirects': './scripts/stubs/follow-redirects.js',
}

/**
 * `debug` becomes scripts/stubs/debug.cjs (see there), which loads the real package only when
 * DEBUG is set; the stand-in's own require of it is the one that resolves normally.
 */
const debugOnDemand = {
  name: 'debug-on-demand',
  setup(build) {
    const standIn = join(root, 'scripts', 'stubs', 'debug.cjs')
    build.onResolve({filter: /^debug$/}, (args) => (args.importer === standIn ? undefined : {path: standIn}))
  },
}

/**
 * string-width 4, as cli-table3 and the help renderer use it, counts printable ASCII through the
 * stand-in in scripts/stubs/string-width.cjs. Other major versions (ora's own) are left alone.
 */
const asciiStringWidth = {
  name: 'ascii-string-width',
  setup(build) {
    const hoisted = join(root, 'node_modules', 'string-width', 'index.js')
    build.onResolve({filter: /^string-width$/}, async (args) => {
      if (args.pluginData === 'ascii-string-width') return undefined
      const resolved = await build.resolve(args.path, {resolveDir: args.resolveDir, kind: args.kind, pluginData: 'ascii-string-width'})
      return resolved.path === hoisted ? {path: join(root, 'scripts', 'stubs', 'string-width.cjs')} : undefined
    })
  },
}

/**
 * The same for axios's own files: its fetch adapter looks at web globals (fetch, Request, Response)
 * when axios is imported, and on Node 20 the first such look loads undici (~8 ms), which the
 * `define`s below cannot prevent because axios reads them as properties of globalThis. (Its
 * FormData probe is one of the library edits in scripts/build-vendor.js.)
 */
const axiosNodeOnly = {
  name: 'axios-node-only',
  setup(build) {
    const adapters = /[\\/]node_modules[\\/]axios[\\/]lib[\\/]adapters[\\/]adapters\.js$/
    build.onResolve({filter: /^\.\/fetch\.js$/}, (args) =>
      adapters.test(args.importer) ? {path: join(root, 'scripts/stubs/axios-fetch-adapter.js')} : undefined,
    )
    // node:http2 (only for `httpVersion: 2`) is loaded when first used rather than on import.
    const axiosLib = /[\\/]node_modules[\\/]axios[\\/]lib[\\/]/
    build.onResolve({filter: /^(node:)?http2$/}, (args) =>
      axiosLib.test(args.importer) ? {path: join(root, 'scripts/stubs/http2.js')} : undefined,
    )
  },
}

rmSync(dist, {recursive: true, force: true})
rmSync(join(root, 'oclif.manifest.json'), {force: true})

// Shared by both builds: what stays outside, what is stubbed or patched, what reads as absent.
const common = {
  external: EXTERNAL,
  alias: STUBBED_PACKAGES,
  plugins: [axiosNodeOnly, asciiStringWidth, debugOnDemand, libraryEditsPlugin(root)],
  define: {
    // oclif checks its own package.json `engines` on import, by a path relative to its source
    // file, which a bundle cannot resolve; all the check would still do is load semver (~4 ms).
    // npm enforces our `engines` at install time.
    'process.env.OCLIF_DISABLE_ENGINE_WARNING': '"1"',
    // On Node 20 the web globals below are lazy getters that load undici (~30 ms) the first time
    // anything looks at them, and axios looks at all of them on import only to pick its fetch
    // adapter or recognise FormData bodies. We use its http adapter with JSON bodies, so in the
    // bundle they read as absent. Only axios (and ws, which checks Blob, left alone) refers to them.
    fetch: 'undefined',
    Request: 'undefined',
    Response: 'undefined',
    Headers: 'undefined',
    FormData: 'undefined',
    ReadableStream: 'undefined',
  },
  legalComments: 'eof',
  logLevel: 'warning',
}

// bin/run.js is CommonJS, so what it loads before oclif comes as CommonJS files: requiring them does
// not start Node's ES module loader. Routing and the cache loader are small enough to be required
// plainly; the answers without oclif (help, completion) are one bundle run with the code cache.
mkdirSync(join(dist, 'launcher'), {recursive: true})
for (const [entry, output, cached] of [
  ['launcher/route.ts', 'launcher/route.cjs', false],
  ['launcher/code-cache.ts', 'launcher/code-cache.cjs', false],
  ['launcher/fast.ts', 'launcher/fast.cjs', true],
]) {
  const built = await esbuild.build({
    ...common,
    absWorkingDir: root,
    entryPoints: [join(src, entry)],
    outfile: join(dist, output),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logOverride: {'empty-import-meta': 'error'},
    write: false,
  })
  const code = built.outputFiles[0].text
  if (!cached) {
    writeFileSync(join(dist, output), code)
    continue
  }

  // Named by content, as the library bundle: V8 accepts a cache for any source of the same length,
  // so a rebuilt bundle must never be taken for the one a cache was made from.
  const routed = escapeNonAscii(routeDynamicImports(code))
  writeFileSync(join(dist, output.replace(/\.cjs$/, `-${contentHash(routed)}.cjs`)), routed)
}

const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const vendorBundle = await buildVendorBundle({root, dist, options: common, bin: pjson.oclif.bin, dirname: pjson.oclif.dirname ?? pjson.oclif.bin})

const runtimeEntry = join(root, 'scripts/runtime-entry.js')
// What is loaded by path at run time; everything else of ours is inlined into these.
const entryPoints = [
  ...sourceFiles(join(src, 'commands')),
  join(src, 'ui', 'help-class.ts'), // package.json oclif.helpClass
  join(src, 'sandbox', 'main.ts'), // the sandbox daemon (src/sandbox/control.ts)
  {in: runtimeEntry, out: 'oclif'},
]
const result = await esbuild.build({
  ...common,
  absWorkingDir: root,
  entryPoints,
  outbase: src,
  outdir: dist,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  plugins: [vendorImports(vendorBundle.exportNames), ...common.plugins],
  define: {...common.define, 'import.meta.url': 'importMetaUrl'},
  inject: [join(root, 'scripts/stubs/import-meta-url.js')],
  metafile: true,
  write: false,
})
for (const output of result.outputFiles) {
  mkdirSync(dirname(output.path), {recursive: true})
  writeFileSync(output.path, resolveVendorSpecifiers(output.text, relative(dirname(output.path), join(dist, 'vendor'))))
}
await buildLazyVendors({root, dist, options: common})

const outputs = Object.entries(result.metafile.outputs)
process.stdout.write(`dist: ${outputs.length} entry points, ${vendorBundle.bundle} (${Math.round(vendorBundle.bytes / 1024)}K)\n`)
if (process.argv.includes('--report')) {
  for (const [name, output] of outputs.sort((a, b) => b[1].bytes - a[1].bytes)) process.stdout.write(`  ${name}: ${Math.round(output.bytes / 1024)}K\n`)
}
