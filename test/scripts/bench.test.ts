import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

// `npm run bench` is how start-up and scale are steered; these make sure both scripts still run
// against the current build and report what they promise, with counts small enough for CI.
// They assert the shape and sanity of the report, never a timing.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const node = (script: string, args: string[]) =>
  promisify(execFile)(process.execPath, [`${ROOT}scripts/${script}`, ...args], {
    cwd: ROOT,
    env: {PATH: process.env.PATH, HOME: process.env.HOME},
    maxBuffer: 16 * 1024 * 1024,
  })

describe('npm run bench scripts', function () {
  this.timeout(120_000)

  before(function () {
    if (existsSync(`${ROOT}dist/oclif.js`) && existsSync(`${ROOT}oclif.manifest.json`)) return
    if (process.env.CI) throw new Error('the CLI is not built: run `npm run build` (npm test does) before these tests')
    this.skip()
  })

  it('start-up bench (as npm run bench runs it): every case runs, passes its output check and gets a ratio to node -e 0; the scale report is included', async () => {
    const pjson = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {scripts: Record<string, string>}
    expect(pjson.scripts.bench).to.equal('node scripts/bench.js --scale')
    const {stdout} = await node('bench.js', ['--runs', '1', '--warmup', '1', '--json', '--scale'])
    const report = JSON.parse(stdout) as {
      results: {id: string; median: number; ratio?: number; rssMb?: number}[]
      scale: {policy: {objects: number}; sandbox: {jobs: number}}
    }
    expect(report.scale.policy.objects).to.equal(4000)
    expect(report.scale.sandbox.jobs).to.equal(500)
    const ids = report.results.map((r) => r.id)
    // `server` is the loopback jobs API's own time, which the jobs list ratio leaves out.
    expect(ids).to.have.members(['node', 'version', 'jobs-help', 'jobs-list', 'stack-floor', 'complete-jobs', 'server'])
    for (const result of report.results) {
      expect(result.median, result.id).to.be.greaterThan(0)
      if (result.id === 'server') continue
      expect(result.rssMb, result.id).to.be.greaterThan(0)
      if (result.id !== 'node') expect(result.ratio, result.id).to.be.greaterThan(0)
    }
  })

  it('scale bench: checks a generated corpus against the policy and lists every job of a sandbox tool', async () => {
    const {stdout} = await node('bench-scale.js', ['--objects', '100', '--jobs', '4', '--runs', '1', '--json'])
    const report = JSON.parse(stdout) as {policy: {objects: number; medianPodsPerSecond: number}; sandbox: {jobs: number; jobsListMedianMs: number}}
    expect(report.policy.objects).to.equal(100)
    expect(report.policy.medianPodsPerSecond).to.be.greaterThan(0)
    expect(report.sandbox.jobs).to.equal(4)
    expect(report.sandbox.jobsListMedianMs).to.be.greaterThan(0)
  })
})
