// The libraries nearly every command loads (@oclif/core on every run; yaml for the tool's
// configuration; axios and axios-retry for any API call; cli-table3 for tables) are emitted as ONE
// CommonJS bundle, dist/vendor/libs-<hash>.cjs, instead of ES module chunks. Compiling that code is
// most of a command's start-up, and on Node 20 only a script run through vm.Script can reuse V8's
// compiled code between runs (src/launcher/code-cache.ts); ES modules are compiled afresh each time.
//
// Our sources import these packages by name. The main build replaces each import with a small
// facade inlined into the importing file (vendorImports), which takes the package from the one
// loaded bundle (so there is a single @oclif/core instance) and re-exports what the package
// exports. Inside the bundle each package is reached through a getter, so a command that never
// makes a request does not evaluate axios (nor load node:https).
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createHash} from 'node:crypto'
import {createRequire} from 'node:module'
import {join, relative} from 'node:path'

import * as esbuild from 'esbuild'
import ts from 'typescript'

/** The parameter through which the bundle's import() calls reach the loader. */
export const DYNAMIC_IMPORT = '__tfImport'

/** The packages in the library bundle. */
export const CACHED_PACKAGES = ['@oclif/core', 'yaml', 'axios', 'axios-retry', 'cli-table3']

/**
 * V8 loses a script's dynamic-import handler when the script comes from the code cache (Node 20:
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so every `import(…)` in the bundle becomes a call of a
 * function the loader passes in (src/launcher/code-cache.ts, DYNAMIC_IMPORT). The calls are found
 * by parsing the bundle, not by searching its text, which also holds "import()" in messages.
 */
export function routeDynamicImports(code, importFunction = DYNAMIC_IMPORT) {
  if (code.includes(importFunction)) throw new Error(`the vendor bundle already uses the name ${importFunction}`)
  const file = ts.createSourceFile('libs.cjs', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS)
  const starts = []
  const visit = (node) => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) starts.push(node.expression.getStart(file))
    ts.forEachChild(node, visit)
  }

  visit(file)
  let routed = code
  for (const start of starts.sort((a, b) => b - a)) {
    if (!routed.startsWith('import', start)) throw new Error(`routeDynamicImports: no import() at offset ${start}`)
    routed = routed.slice(0, start) + importFunction + routed.slice(start + 'import'.length)
  }

  return routed
}

/**
 * A bundle run through the code cache is pure ASCII, which the loader reads as one-byte text
 * instead of decoding UTF-8 (~1 ms for the library bundle). esbuild already escapes strings and
 * names; what it leaves (a control character in a regular expression, text in comments) becomes
 * \\u escapes, which mean the same in a string or a regular expression and nothing in a comment.
 * Anywhere else (a template literal's raw text, say) the build fails instead.
 */
export function escapeNonAscii(code) {
  const positions = [...code.matchAll(/[^\x00-\x7f]/g)].map((match) => match.index)
  if (positions.length === 0) return code
  const file = ts.createSourceFile('bundle.cjs', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS)
  const escapable = new Set([ts.SyntaxKind.StringLiteral, ts.SyntaxKind.RegularExpressionLiteral])
  for (const position of positions) {
    let node = file
    for (let inner = node; inner; ) {
      node = inner
      inner = node.getChildren(file).find((child) => child.pos <= position && position < child.end)
    }

    // After a backslash the character is an escape of its own, which \\u would not continue.
    if (code[position - 1] === '\\') throw new Error(`escapeNonAscii: an escaped non-ASCII character at offset ${position}`)
    const inTrivia = position < node.getStart(file)
    if (!inTrivia && !escapable.has(node.kind)) {
      throw new Error(`escapeNonAscii: a non-ASCII character at offset ${position} is in a ${ts.SyntaxKind[node.kind]}, where an escape would change the code`)
    }
  }

  return code.replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The name part that tells builds of a bundle apart. */
export function contentHash(code) {
  return createHash('sha256').update(code).digest('hex').slice(0, 12)
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/** Whether `export const <name>` is valid: an identifier that is not a reserved word. */
function exportable(name) {
  if (!IDENTIFIER.test(name) || name === 'default' || name === '__esModule') return false
  try {
    new Function(`'use strict'; let ${name};`)
    return true
  } catch {
    return false
  }
}

/**
 * Packages only some runs reach, through import(): spinners (on a terminal), prompts (destructive
 * commands on a terminal), the websocket client (`webservice shell`). Each is one ES module bundle
 * of its own under dist/vendor/, so a command that never shows a spinner does not even parse ora.
 */
export const LAZY_PACKAGES = {
  ora: 'ora',
  '@inquirer/prompts': 'inquirer-prompts',
  ws: 'ws',
}

/** Of those, the ones with a default export (ora, and ws's WebSocket). */
const LAZY_DEFAULT_EXPORTS = new Set(['ora', 'ws'])

/**
 * For the main build, which is CommonJS. A cached package becomes a small ES module facade inlined
 * into the importing file: it takes the package from the one library bundle (`#vendor/libs`, which
 * resolveVendorSpecifiers turns into a path) and re-exports what the package exports, with the default
 * export Node's ES module loader would give, since our sources are written for that loader.
 * `exportNames` lists each package's names (buildVendorBundle reads them from the bundle). Lazy
 * packages stay dynamic imports of their ES module bundles, `#vendor/<file>`.
 */
export function vendorImports(exportNames) {
  const names = [...CACHED_PACKAGES, ...Object.keys(LAZY_PACKAGES)]
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`)
  return {
    name: 'vendor-imports',
    setup(build) {
      build.onResolve({filter}, (args) =>
        CACHED_PACKAGES.includes(args.path) ? {path: args.path, namespace: 'vendor-facade'} : {path: `#vendor/${LAZY_PACKAGES[args.path]}`, external: true},
      )
      build.onResolve({filter: /^#vendor\//}, (args) => ({path: args.path, external: true}))
      build.onLoad({filter: /.*/, namespace: 'vendor-facade'}, (args) => ({
        contents: [
          `const m = require('#vendor/libs')[${JSON.stringify(args.path)}]`,
          `export default ${DEFAULT_OF('m')}`,
          ...exportNames[args.path].map((key) => `export const ${key} = m.${key}`),
        ].join('\n'),
        loader: 'js',
      }))
    },
  }
}

/**
 * The main build leaves `#vendor/<file>` specifiers (vendorImports); each output file gets them as
 * paths relative to itself, `toVendor` being the way from its folder to dist/vendor. A package
 * "imports" map would resolve them too, but through Node's ES module resolver, which a CommonJS run
 * then loads for that alone.
 */
export function resolveVendorSpecifiers(code, toVendor) {
  const files = {libs: 'libs.js', ...Object.fromEntries(Object.values(LAZY_PACKAGES).map((file) => [file, `${file}.mjs`]))}
  const resolved = code.replace(/(require|import)\("#vendor\/([\w-]+)"\)/g, (whole, how, name) => {
    if (!files[name]) throw new Error(`resolveVendorSpecifiers: unknown #vendor/${name}`)
    const path = `${toVendor || '.'}/${files[name]}`.replace(/\\/g, '/')
    return `${how}(${JSON.stringify(path.startsWith('.') ? path : `./${path}`)})`
  })
  if (resolved.includes('#vendor/')) throw new Error('resolveVendorSpecifiers: a #vendor/ specifier is left that is not a plain require() or import()')
  return resolved
}

// Bundled CommonJS has no `require` inside an ES module (node-forge, for one, requires builtins):
// every ES module bundle gets a real one.
export const ESM_REQUIRE_PRELUDE = "import {createRequire as __tfCreateRequire} from 'node:module';const require = __tfCreateRequire(import.meta.url);"

/** The lazy packages, each as one minified ES module bundle (see LAZY_PACKAGES). */
export async function buildLazyVendors({root, dist, options}) {
  for (const [name, file] of Object.entries(LAZY_PACKAGES)) {
    await esbuild.build({
      ...options,
      absWorkingDir: root,
      stdin: {
        contents: `export * from ${JSON.stringify(name)}\n` + (LAZY_DEFAULT_EXPORTS.has(name) ? `export {default} from ${JSON.stringify(name)}\n` : ''),
        resolveDir: root,
        sourcefile: `vendor-${file}.js`,
        loader: 'js',
      },
      outfile: join(dist, 'vendor', `${file}.mjs`),
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      minifyWhitespace: true,
      minifySyntax: true,
      banner: {js: ESM_REQUIRE_PRELUDE},
    })
  }
}

/**
 * Edits to libraries' own files, all for start-up time, as [text, replacement] per file (its path
 * under node_modules/). The build fails when an update changes one of the texts, rather than
 * quietly losing the edit.
 */
function libraryEdits(root) {
  const lazyModule = JSON.stringify(join(root, 'scripts', 'stubs', 'lazy-module.cjs'))
  const wslStandIn = JSON.stringify(join(root, 'scripts', 'stubs', 'wsl-utils.js'))
  // A require oclif makes when it loads but that a command like `jobs list` never uses: it becomes
  // a module object that requires on first use (oclif reads `module_1.name` when it calls).
  const lazy = (name, specifier) => [`const ${name} = require("${specifier}");`, `const ${name} = require(${lazyModule}).lazyModule(() => require("${specifier}"));`]
  // __importDefault of a CommonJS module without __esModule is {default: module}.
  const lazyDefault = (name, specifier) => [`const ${name} = __importDefault(require("${specifier}"));`, `const ${name} = {get default() { return require("${specifier}") }};`]
  return {
    '@oclif/core/lib/config/plugin.js': [
      // oclif sorts each plugin's commands with localeCompare; the first localeCompare in a process
      // sets up an ICU collator (~8 ms). Command ids are plain ASCII, for which code-unit order is
      // the same, and every listing that shows them sorts again.
      ['.sort((a, b) => a.id.localeCompare(b.id))', '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))'],
      // The globber finds commands when there is no manifest (development).
      lazy('tinyglobby_1', 'tinyglobby'),
    ],
    '@oclif/core/lib/util/os.js': [
      // wsl-utils names the platform on every run: the stand-in (scripts/stubs/wsl-utils.js) is
      // bundled, where the real package, an ES module, would start Node's ES module loader.
      ["import('wsl-utils')", `require(${wslStandIn}).load()`],
      // For the shell's name on Windows.
      lazy('node_child_process_1', 'node:child_process'),
    ],
    // Flags read from stdin; performance marks (only with DEBUG); templates of help and messages.
    '@oclif/core/lib/parser/parse.js': [lazy('node_readline_1', 'node:readline')],
    '@oclif/core/lib/performance.js': [lazy('node_perf_hooks_1', 'node:perf_hooks')],
    '@oclif/core/lib/config/config.js': [lazyDefault('ejs_1', 'ejs')],
    '@oclif/core/lib/help/util.js': [lazyDefault('ejs_1', 'ejs')],
    // axios's one FormData probe when it loads: on Node 20 the first look at that web global loads
    // undici (~8 ms; see axiosNodeOnly in scripts/build.js). Recognising a FormData body by its type
    // tag, which axios does as well, is unaffected.
    'axios/lib/utils.js': [["const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;", 'const FormDataCtor = undefined;']],
  }
}

/** Applies libraryEdits to the files it names, wherever the build loads them from. */
export function libraryEditsPlugin(root) {
  const edits = libraryEdits(root)
  return {
    name: 'library-edits',
    setup(build) {
      build.onLoad({filter: /[\\/]node_modules[\\/].*\.js$/}, (args) => {
        const file = args.path.replaceAll('\\', '/').split('/node_modules/').pop()
        if (!edits[file]) return undefined
        let text = readFileSync(args.path, 'utf8')
        for (const [from, to] of edits[file]) {
          if (!text.includes(from)) return {errors: [{text: `library-edits: ${args.path} no longer contains ${from}`}]}
          text = text.replaceAll(from, to)
        }

        return {contents: text, loader: 'js'}
      })
    },
  }
}

/** How an ES module `import x from` sees a CommonJS module's exports (esbuild's and Node's rule). */
const DEFAULT_OF = (m) => `(${m} && ${m}.__esModule ? ${m}.default : ${m})`

/**
 * Builds the bundle and its loader, and reads the names each package exports (for vendorImports).
 * `options` are the esbuild settings shared with the main build (externals, stubs, plugins,
 * defines). `bin`/`dirname` name the cache folder, as oclif's cacheDir.
 */
export async function buildVendorBundle({root, dist, options, bin, dirname: cacheDirname}) {
  const vendor = join(dist, 'vendor')
  mkdirSync(vendor, {recursive: true})

  // axios is taken from its ES module sources, where the build's axios plugins apply (the
  // CommonJS build is one prebuilt file), through a path so that require() can reach it.
  const axiosEsm = join(root, 'node_modules', 'axios', 'index.js')
  const getters = CACHED_PACKAGES
    .map((name) => `  get ${JSON.stringify(name)}() { return require(${JSON.stringify(name === 'axios' ? axiosEsm : name)}) },`)
    .join('\n')

  const result = await esbuild.build({
    ...options,
    absWorkingDir: root,
    stdin: {contents: `module.exports = {\n${getters}\n}\n`, resolveDir: root, sourcefile: 'vendor-libs.js', loader: 'js'},
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minifyWhitespace: true,
    minifySyntax: true,
    write: false,
    outfile: join(vendor, 'libs.cjs'),
  })

  const code = escapeNonAscii(routeDynamicImports(result.outputFiles[0].text, DYNAMIC_IMPORT))
  // Content-addressed: a new build never meets the code cache of an old one (V8 itself only
  // checks that the source has the same length).
  const bundleName = `libs-${contentHash(code)}.cjs`
  const bundlePath = join(vendor, bundleName)
  writeFileSync(bundlePath, code)
  writeFileSync(
    join(vendor, 'libs.js'),
    `const {join} = require('node:path')\n` +
      `const {loadBundle} = require('../launcher/code-cache.cjs')\n\n` +
      `module.exports = loadBundle(join(__dirname, ${JSON.stringify(bundleName)}), ${JSON.stringify({bin, dirname: cacheDirname})})\n`,
  )
  // The root package.json says "module", which dist/ is not.
  writeFileSync(join(dist, 'package.json'), JSON.stringify({type: 'commonjs'}, null, 2) + '\n')

  // The names each package exports, read from the bundle itself (run here as the loader would).
  const loader = createRequire(import.meta.url)(join(dist, 'launcher', 'code-cache.cjs'))
  if (loader.DYNAMIC_IMPORT !== DYNAMIC_IMPORT) throw new Error('src/launcher/code-cache.ts and scripts/build-vendor.js disagree on DYNAMIC_IMPORT')
  const libs = loader.loadBundle(bundlePath, {bin, dirname: cacheDirname, env: {TOOLFORGE_NO_CODE_CACHE: '1'}})
  const exportNames = Object.fromEntries(CACHED_PACKAGES.map((name) => [name, Object.keys(libs[name]).filter(exportable)]))

  return {bundle: relative(root, bundlePath), bytes: code.length, exportNames}
}
