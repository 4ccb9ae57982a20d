#!/usr/bin/env node
// Emits dist/ for the CLI. `npm run build` type-checks with tsc first and writes the oclif
// manifest after; this step decides what the runtime has to load, because start-up time is
// dominated by module loading: @oclif/core and axios alone are a few hundred small files.
//
// - Every file under src/ becomes one file under dist/ at the same relative path, as tsc would
//   emit it: oclif finds commands (and hooks) by those paths, dev mode maps dist/ back to src/,
//   and code that locates siblings through import.meta.url keeps working.
// - The libraries nearly every command loads (@oclif/core, yaml, axios, cli-table3) become one
//   CommonJS bundle under dist/vendor/ that runs with V8's code cache (scripts/build-vendor.js).
//   One bundle means one @oclif/core instance for bin/run.js (via dist/oclif.js) and all commands.
// - Other packages from node_modules are bundled into shared chunks under dist/chunks/; a package
//   imported with `import()` gets its own chunk, loaded only when reached.
//
// `node scripts/build.js --report` also lists what each chunk is made of.
import {mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

import * as esbuild from 'esbuild'

import {buildVendorBundle, routeDynamicImports, vendorFacades} from './build-vendor.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const src = join(root, 'src')
const dist = join(root, 'dist')

// Native addons, and the TypeScript loaders oclif only reaches for in development.
const EXTERNAL = ['better-sqlite3', 'typescript', 'ts-node', 'tsx']

// Bundled CommonJS has no `require` inside an ES module, and @oclif/core needs a real one: it loads
// plugins and hooks by absolute path at run time.
const CHUNK_PRELUDE = "import {createRequire as __tfCreateRequire} from 'node:module';const require = __tfCreateRequire(import.meta.url);\n"

function sourceFiles(dir) {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && /\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
}

/** Relative imports between our own files stay imports of the sibling output file. */
const keepOwnFilesSeparate = {
  name: 'keep-own-files-separate',
  setup(build) {
    build.onResolve({filter: /^\.\.?\//}, (args) => {
      if (!args.importer.startsWith(src + sep)) return undefined
      if (!/\.m?js$/.test(args.path)) {
        return {errors: [{text: `relative import "${args.path}" must name the emitted .js file (Node16 resolution)`}]}
      }

      return {path: args.path, external: true}
    })
  },
}

// axios on Node needs only its http adapter, which is all src/api/http.ts uses (JSON bodies, `proxy:
// false`, `maxRedirects: 0`). Its other paths stay out of the bundle, since every API command pays
// to load them: form-data (multipart bodies), https-proxy-agent and follow-redirects become the
// stubs under scripts/stubs/, which throw if they are ever reached; see the comments there.
const STUBBED_PACKAGES = {
  'form-data': './scripts/stubs/form-data.js',
  'https-proxy-agent': './scripts/stubs/https-proxy-agent.js',
  'follow-redirects': './scripts/stubs/follow-redirects.js',
  // @oclif/core's WSL check on every run; see the stub.
  'wsl-utils': './scripts/stubs/wsl-utils.js',
}

/**
 * The same for axios's own files: its fetch adapter, and the one FormData probe in its utils. Both
 * look at a web global (fetch, Request, Response, FormData) when axios is imported, and on Node 20
 * the first such look loads undici (~8 ms), which the `define`s below cannot prevent because axios
 * reads them as properties of globalThis. Recognising a FormData body by its type tag, which axios
 * does as well, is unaffected.
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
    const probe = "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;"
    build.onLoad({filter: /[\\/]node_modules[\\/]axios[\\/]lib[\\/]utils\.js$/}, (args) => {
      const text = readFileSync(args.path, 'utf8')
      // Fails the build when an axios update changes the line, rather than quietly loading undici again.
      if (!text.includes(probe)) return {errors: [{text: `axios-node-only: ${args.path} no longer contains the FormData probe`}]}
      return {contents: text.replace(probe, 'const FormDataCtor = undefined;'), loader: 'js'}
    })
  },
}

/**
 * @oclif/core sorts each plugin's commands with localeCompare when it loads them. The first
 * localeCompare in a process sets up an ICU collator, ~8 ms of every run; command ids are plain
 * ASCII, for which code-unit order is the same, and every listing that shows them sorts again.
 */
const oclifWithoutCollator = {
  name: 'oclif-without-collator',
  setup(build) {
    const sort = '.sort((a, b) => a.id.localeCompare(b.id))'
    build.onLoad({filter: /[\\/]node_modules[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/}, (args) => {
      const text = readFileSync(args.path, 'utf8')
      if (!text.includes(sort)) return {errors: [{text: `oclif-without-collator: ${args.path} no longer sorts commands with localeCompare`}]}
      return {contents: text.replace(sort, '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))'), loader: 'js'}
    })
  },
}

rmSync(dist, {recursive: true, force: true})
rmSync(join(root, 'oclif.manifest.json'), {force: true})

// Shared by both builds: what stays outside, what is stubbed or patched, what reads as absent.
const common = {
  external: EXTERNAL,
  alias: STUBBED_PACKAGES,
  plugins: [axiosNodeOnly, oclifWithoutCollator],
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

const runtimeEntry = join(root, 'scripts/runtime-entry.js')
const result = await esbuild.build({
  ...common,
  absWorkingDir: root,
  entryPoints: [...sourceFiles(src), {in: runtimeEntry, out: 'oclif'}],
  outbase: src,
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [keepOwnFilesSeparate, vendorFacades({src, dist, entryOutputs: {[runtimeEntry]: join(dist, 'oclif.js')}}), ...common.plugins],
  metafile: true,
  write: false,
})

const isChunk = (file) => relative(dist, file.path).split(sep)[0] === 'chunks'
for (const file of result.outputFiles) {
  let text = file.text
  if (isChunk(file)) {
    // Only vendored code is minified (it parses measurably faster); our own files stay readable,
    // so a stack trace printed by --debug still shows where it went wrong.
    const minified = await esbuild.transform(text, {minifyWhitespace: true, minifySyntax: true, legalComments: 'eof'})
    text = CHUNK_PRELUDE + minified.code
  }

  mkdirSync(dirname(file.path), {recursive: true})
  writeFileSync(file.path, text)
}

// bin/run.js is CommonJS, so what it loads before oclif comes as CommonJS files: requiring them does
// not start Node's ES module loader. Routing and the cache loader are small enough to be required
// plainly; the answers without oclif (help, completion) are one bundle run with the code cache.
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
  writeFileSync(join(dist, output), cached ? routeDynamicImports(code) : code)
}

const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const vendorBundle = await buildVendorBundle({root, dist, options: common, bin: pjson.oclif.bin, dirname: pjson.oclif.dirname ?? pjson.oclif.bin})

const chunks = result.outputFiles.filter(isChunk)
process.stdout.write(`dist: ${result.outputFiles.length - chunks.length} modules of our own, ${chunks.length} vendor chunks, ${vendorBundle.bundle} (${Math.round(vendorBundle.bytes / 1024)}K)\n`)
if (process.argv.includes('--report')) {
  for (const [name, output] of Object.entries(result.metafile.outputs)) {
    if (!name.includes('/chunks/')) continue
    const bytes = new Map()
    for (const [input, {bytesInOutput}] of Object.entries(output.inputs)) {
      const pkg = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? input
      bytes.set(pkg, (bytes.get(pkg) ?? 0) + bytesInOutput)
    }

    const top = [...bytes].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([pkg, n]) => `${pkg} ${Math.round(n / 1024)}K`)
    process.stdout.write(`  ${name}: ${top.join(', ')}\n`)
  }
}
