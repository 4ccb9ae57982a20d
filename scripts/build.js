#!/usr/bin/env node
// Emits dist/ for the published CLI. Type checking is tsc's job (`npm run build` runs it first);
// this step only decides what the runtime has to load, because start-up time is dominated by
// module loading: @oclif/core and axios alone are a few hundred small files.
//
// - Every file under src/ becomes one file under dist/ at the same relative path, as tsc would
//   emit it: oclif finds commands (and hooks) by those paths, dev mode maps dist/ back to src/,
//   and code that locates siblings through import.meta.url keeps working.
// - Packages from node_modules are bundled into a few shared chunks under dist/chunks/. One
//   chunk graph means one @oclif/core instance for bin/run.js (via dist/oclif.js) and all
//   commands; a package imported with `import()` gets its own chunk, loaded only when reached.
import {mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import * as esbuild from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const src = join(root, 'src')
const dist = join(root, 'dist')

// Native addons and the TypeScript loaders oclif only reaches for in development.
const EXTERNAL = ['better-sqlite3', 'typescript', 'ts-node', 'tsx']

// CommonJS inside an ES module has no `require`; bundled CJS code (@oclif/core loads plugins and
// hooks by absolute path) needs a real one.
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
      if (!args.importer.startsWith(src + '/')) return undefined
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
  // Smaller chunks parse faster; names are kept so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  write: false,
})

for (const file of result.outputFiles) {
  const isChunk = relative(dist, file.path).startsWith('chunks/')
  mkdirSync(dirname(file.path), {recursive: true})
  writeFileSync(file.path, isChunk ? CHUNK_PRELUDE + file.text : file.text)
}

const chunks = result.outputFiles.filter((f) => relative(dist, f.path).startsWith('chunks/'))
const kb = (n) => `${Math.round(n / 1024)} KB`
process.stdout.write(
  `dist: ${result.outputFiles.length - chunks.length} files from src/, ${chunks.length} chunks (${kb(chunks.reduce((n, f) => n + f.contents.length, 0))})\n`,
)
