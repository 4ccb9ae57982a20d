import {Config} from '@oclif/core'
import {expect} from 'chai'
import ts from 'typescript'
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {fileURLToPath} from 'node:url'

import {run} from '../helpers/run.js'
import {runCli} from '../helpers/subprocess.js'
import {makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'

// The published entry point as a user runs it: bin/run.js on the build, in a separate process.
// In-process tests exercise commands; these guard what only the built CLI does (the --version
// fast path, the bundled runtime, plugins resolved from node_modules).

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** A clean environment: the test runner's NODE_OPTIONS or TOOLFORGE_* must not leak in. */
function toolforge(args: string[], env: Record<string, string> = {}): Promise<{code: number | null; stdout: string; stderr: string}> {
  return runCli(args, {env: {HOME: process.env.HOME ?? '', ...env}, cwd: tmpdir()}).then((r) => ({code: r.exitCode, stdout: r.stdout, stderr: r.stderr}))
}

const JOBS = [
  {name: 'web-crawler', cmd: './crawl.sh', imagename: 'python3.11', job_type: 'continuous', status_short: 'Running'},
  {name: 'nightly', cmd: './nightly.sh', imagename: 'python3.11', job_type: 'scheduled', schedule: '@daily', status_short: 'Last schedule time: 2026-11-21T00:00:00Z'},
]

describe('built CLI start-up (bin/run.js)', () => {
  before(function () {
    if (existsSync(`${ROOT}dist/oclif.js`) && existsSync(`${ROOT}oclif.manifest.json`)) return
    // `npm test` always builds first, so in CI a missing build is an error; a developer running
    // mocha on the sources alone gets these tests skipped rather than failed.
    if (process.env.CI) throw new Error('the CLI is not built: run `npm run build` (npm test does) before these tests')
    this.skip()
  })

  it('answers --version and -v exactly as oclif would', async () => {
    const expected = (await Config.load({root: ROOT})).userAgent
    for (const flag of ['--version', '-v']) {
      const {code, stdout, stderr} = await toolforge([flag])
      expect(code).to.equal(0)
      expect(stderr).to.equal('')
      expect(stdout).to.equal(`${expected}\n`)
    }

    expect(expected).to.match(/^toolforge\/\d+\.\d+\.\d+\S* [\w-]+ node-v\d+\.\d+\.\d+$/)
  })

  it('lists every jobs command in `jobs --help`', async () => {
    const manifest = JSON.parse(readFileSync(`${ROOT}oclif.manifest.json`, 'utf8')) as {commands: Record<string, {hidden?: boolean}>}
    const jobsCommands = Object.entries(manifest.commands)
      .filter(([id, command]) => id.startsWith('jobs:') && !command.hidden)
      .map(([id]) => id.replaceAll(':', ' '))
    expect(jobsCommands).to.include('jobs list')

    const {code, stdout} = await toolforge(['jobs', '--help'])
    expect(code).to.equal(0)
    expect(stdout).to.include('USAGE\n  $ toolforge jobs COMMAND')
    for (const command of jobsCommands) expect(stdout).to.include(`  ${command} `)
  })

  describe('jobs list against a loopback jobs API', () => {
    let server: Server
    let tool: ToolEnv
    const requests: string[] = []

    before(async () => {
      server = createServer((req, res) => {
        requests.push(`${req.method} ${req.url}`)
        if (req.method === 'GET' && /^\/jobs\/v1\/tool\/mytool\/jobs\/?(\?|$)/.test(req.url ?? '')) {
          res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({jobs: JOBS, messages: {}}))
        } else {
          res.writeHead(404, {'content-type': 'application/json'}).end(JSON.stringify({error: ['not found']}))
        }
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      tool = makeToolEnv({apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`})
    })

    after(async () => {
      tool.restore()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    })

    it('prints the jobs table', async () => {
      const {code, stdout, stderr} = await toolforge(['jobs', 'list'], tool.env)
      expect(stderr).to.equal('')
      expect(code).to.equal(0)
      expect(requests).to.have.lengthOf(1)
      const lines = stdout.trimEnd().split('\n')
      expect(lines[1]).to.match(/^\|\s+Job name:\s+\|\s+Job type:\s+\|\s+Status:\s+\|$/)
      expect(stdout).to.match(/\|\s+web-crawler\s+\|\s+continuous\s+\|\s+Running\s+\|/)
      expect(stdout).to.match(/\|\s+nightly\s+\|\s+schedule: @daily\s+\|/)
    })

    it('runs the command without loading any ES module (the build is CommonJS, which starts faster)', async () => {
      const list = join(tool.env.HOME, 'modules.json')
      const probe = join(tool.env.HOME, 'probe.cjs')
      writeFileSync(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)))\n`)
      const {code, stdout} = await toolforge(['jobs', 'list'], {...tool.env, NODE_OPTIONS: `--require ${probe}`})
      expect(code).to.equal(0)
      expect(stdout).to.include('web-crawler')
      const loaded = JSON.parse(readFileSync(list, 'utf8')) as string[]
      // Node loads these only to resolve, link or evaluate an ES module.
      for (const part of ['internal/modules/esm/resolve', 'internal/modules/esm/module_job', 'internal/modules/esm/translators']) {
        expect(loaded).to.not.include(`NativeModule ${part}`)
      }
    })

    it("prints oclif's debug log with DEBUG set, and nothing of it without", async () => {
      const traced = await toolforge(['jobs', 'list'], {...tool.env, DEBUG: 'oclif:*'})
      expect(traced.code).to.equal(0)
      expect(traced.stderr).to.match(/oclif:main process\.argv: .*'jobs', 'list'/)
      expect(traced.stdout).to.include('web-crawler')
      const quiet = await toolforge(['jobs', 'list'], tool.env)
      expect(quiet.stderr).to.equal('')
      expect(quiet.stdout).to.equal(traced.stdout)
    })

    it('keeps the compiled libraries in the cache folder after the first run, and reuses them', async () => {
      const v8Dir = join(tool.env.HOME, '.cache', 'toolforge', 'v8')
      rmSync(v8Dir, {recursive: true, force: true})
      const first = await toolforge(['jobs', 'list'], tool.env)
      expect(first.code).to.equal(0)
      const caches = () => readdirSync(v8Dir).sort()
      expect(caches()).to.have.lengthOf(1)
      expect(caches()[0]).to.match(/^libs-[\da-f]{12}\.cjs\..+\.bin$/)
      // Help is answered by the launcher's own bundle, which has its own cache.
      expect((await toolforge(['jobs', '--help'], tool.env)).code).to.equal(0)
      expect(caches()).to.have.lengthOf(2)
      expect(caches()[0]).to.match(/^fast-[\da-f]{12}\.cjs\..+\.bin$/)
      const written = caches().map((name) => statSync(join(v8Dir, name)).mtimeMs)

      const second = await toolforge(['jobs', 'list'], tool.env)
      expect(second).to.deep.equal(first)
      expect((await toolforge(['jobs', '--help'], tool.env)).code).to.equal(0)
      expect(caches().map((name) => statSync(join(v8Dir, name)).mtimeMs)).to.deep.equal(written)

      const uncached = await toolforge(['jobs', 'list'], {...tool.env, TOOLFORGE_NO_CODE_CACHE: '1'})
      expect(uncached).to.deep.equal(first)
    })
  })

  it('names the code-cached bundles by their content (V8 takes a cache for any source of the same length)', () => {
    const bundles = [join(ROOT, 'dist', 'vendor'), join(ROOT, 'dist', 'launcher')].flatMap((dir) =>
      readdirSync(dir)
        .filter((name) => /^(libs|fast)-/.test(name))
        .map((name) => join(dir, name)),
    )
    expect(bundles).to.have.lengthOf(2)
    for (const bundle of bundles) {
      const hash = createHash('sha256').update(readFileSync(bundle, 'utf8')).digest('hex').slice(0, 12)
      expect(bundle).to.match(new RegExp(`-${hash}\\.cjs$`))
    }
  })

  it('routes every import() of the vendor bundle through its loader', () => {
    const vendor = join(ROOT, 'dist', 'vendor')
    const [bundle] = readdirSync(vendor).filter((name) => name.endsWith('.cjs'))
    const code = readFileSync(join(vendor, bundle), 'utf8')
    const file = ts.createSourceFile(bundle, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS)
    let rawImports = 0
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) rawImports++
      ts.forEachChild(node, visit)
    }

    visit(file)
    expect(rawImports).to.equal(0)
    expect(code).to.include('__tfImport(')
  })

  it('answers help without oclif exactly as `help` through oclif does, and stops quietly when the reader goes away', async () => {
    for (const args of [['jobs', 'run', '--help'], ['help', 'jobs'], ['envvars'], []]) {
      const fast = await toolforge(args)
      // The same request through oclif (in this process, on the sources), which uses the same renderer
      // from oclif's loaded configuration instead of the launcher's reading of the manifests.
      const viaOclif = await run(args)
      expect(fast.code, args.join(' ')).to.equal(0)
      expect(fast.stdout, args.join(' ')).to.equal(viaOclif.stdout)
    }

    const piped = spawnSync('bash', ['-c', `"${process.execPath}" "${join(ROOT, 'bin', 'run.js')}" --help | head -1; exit \${PIPESTATUS[0]}`], {encoding: 'utf8', env: {PATH: process.env.PATH ?? '', HOME: tmpdir()}})
    expect(piped.stdout).to.equal('Command-line client for Wikimedia Toolforge: jobs, webservices, builds, envvars, and a local sandbox\n')
    expect(piped.stderr).to.equal('')
    expect(piped.status).to.equal(0)
  })

  it('publishes every file of the build, and the files that tell Node bin/ and dist/ are CommonJS', function () {
    this.timeout(60_000)
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: ROOT, encoding: 'utf8'})
    expect(packed.status, packed.stderr).to.equal(0)
    const files = new Set((JSON.parse(packed.stdout) as [{files: {path: string}[]}])[0].files.map((file) => file.path))
    const built = (readdirSync(join(ROOT, 'dist'), {recursive: true}) as string[]).filter((path) => statSync(join(ROOT, 'dist', path)).isFile())
    for (const path of built) expect(files, `dist/${path}`).to.include(`dist/${path}`)
    for (const path of ['dist/package.json', 'bin/package.json', 'bin/run.js', 'oclif.manifest.json']) expect(files).to.include(path)
    expect(JSON.parse(readFileSync(join(ROOT, 'dist', 'package.json'), 'utf8'))).to.deep.equal({type: 'commonjs'})
  })

  it('bin/dev.js runs the TypeScript sources from any working directory', function () {
    this.timeout(60_000)
    const dev = spawnSync(join(ROOT, 'bin', 'dev.js'), ['jobs', 'list', '--help'], {cwd: tmpdir(), encoding: 'utf8', env: {PATH: process.env.PATH ?? '', HOME: tmpdir()}})
    expect(dev.stderr).to.equal('')
    expect(dev.status).to.equal(0)
    expect(dev.stdout).to.include('USAGE\n  $ toolforge jobs list')
  })

  it('rejects an unknown command with exit 127 and points at help', async () => {
    const {code, stdout, stderr} = await toolforge(['jbos', 'list'])
    expect(code).to.equal(127)
    expect(stdout).to.equal('')
    expect(stderr).to.include('jbos list is not a toolforge command.')
    expect(stderr).to.include('Run toolforge help for a list of available commands.')
  })
})
