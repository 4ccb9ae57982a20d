#!/usr/bin/env node
// Emits dist/ for the CLI. `npm run build` type-checks with tsc first and writes the oclif
// manifest after; this step decides what the runtime has to load, because start-up time is
// dominated by module loading: @oclif/core and axios alone are a few hundred small files.
//
// - Every file under src/ becomes one file under dist/ at the same relative path, as tsc would
//   emit it: oclif finds commands (and hooks) by those paths, dev mode maps dist/ back to src/,
//   and code that locates siblings through import.meta.url keeps working.
// - Packages from node_modules are bundled into a few shared chunks under dist/chunks/. One
//   chunk graph means one @oclif/core instance for bin/run.js (via dist/oclif.js) and all
//   commands; a package imported with `import()` gets its own chunk, loaded only when reached.
//
// `node scripts/build.js --report` also lists what each chunk is made of.
import {mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

import * as esbuild from 'esbuild'

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

rmSync(dist, {recursive: true, force: true})
rmSync(join(root, 'oclif.manifest.json'), {force: true})

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: [...sourceFiles(src), {in: join(root, 'scripts/runtime-entry.js'), out: 'oclif'}],
  outbase: src,
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: EXTERNAL,
  plugins: [keepOwnFilesSeparate],
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

const chunks = result.outputFiles.filter(isChunk)
process.stdout.write(`dist: ${result.outputFiles.length - chunks.length} modules of our own, ${chunks.length} vendor chunks\n`)
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
