#!/usr/bin/env node
// Scale bench of the BUILT CLI (run `npm run build` first), printed after the start-up bench:
//   1. the pod policy over a corpus of generated objects for thousands of tools (pods checked per second);
//   2. a sandbox holding hundreds of jobs of one tool: admission rate while loading them (each job is
//      built into Kubernetes objects and checked by the policy), then `toolforge jobs list` time.
//
//   node scripts/bench-scale.js [--objects 4000] [--jobs 500] [--runs 5] [--json] [--root <checkout>]
import {execFile} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'
import {promisify} from 'node:util'

const run = promisify(execFile)

const {values: opts} = parseArgs({
  options: {
    objects: {type: 'string', default: '4000'},
    jobs: {type: 'string', default: '500'},
    runs: {type: 'string', default: '5'},
    json: {type: 'boolean', default: false},
    root: {type: 'string', default: fileURLToPath(new URL('..', import.meta.url))},
  },
})
const ROOT = resolve(opts.root)
const BIN = join(ROOT, 'bin/run.js')
const objectCount = Number(opts.objects)
const jobCount = Number(opts.jobs)
const runs = Number(opts.runs)

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/**
 * A module of the checkout's sources. The build inlines src/ into the commands that use it, so there
 * is no dist/kube to import: the sources come through tsx (a dev dependency). Only loading goes
 * through it; timed code runs the same compiled JavaScript either way.
 */
async function fromSources(path) {
  const {tsImport} = await import('tsx/esm/api')
  return tsImport(pathToFileURL(join(ROOT, 'src', path)).href, import.meta.url)
}

async function policyThroughput() {
  const {generateCorpus} = await fromSources('kube/corpus.ts')
  const {checkPolicy} = await fromSources('kube/policy.ts')
  const corpus = generateCorpus(objectCount)
  const rates = []
  for (let pass = 0; pass < runs; pass++) {
    let violations = 0
    const started = performance.now()
    for (const object of corpus) violations += checkPolicy(object, {}).length
    const seconds = (performance.now() - started) / 1000
    if (violations > 0) throw new Error(`the generated corpus has ${violations} policy violations`)
    rates.push(corpus.length / seconds)
  }

  // Every generated object carries exactly one pod template.
  return {objects: corpus.length, firstPassPodsPerSecond: Math.round(rates[0]), medianPodsPerSecond: Math.round(median(rates))}
}

async function sandboxScale() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tf-bench-sandbox-'))
  const home = mkdtempSync(join(tmpdir(), 'tf-bench-sandbox-home-'))
  const {freePort} = await fromSources('sandbox/proxy.ts')
  const port = await freePort()
  const baseEnv = {PATH: process.env.PATH, HOME: home, NO_COLOR: '1'}
  const tf = (args, env = baseEnv) => run(process.execPath, [BIN, ...args], {env, maxBuffer: 64 * 1024 * 1024})
  try {
    // Like a tool granted a quota bump: the default ResourceQuota allows 50 cron jobs.
    await tf(['sandbox', 'start', '--data-dir', dataDir, '--port', String(port), '--quota', `count/cronjobs.batch=${jobCount}`])
    const sandboxEnv = JSON.parse((await tf(['sandbox', 'env', '--data-dir', dataDir, '--json'])).stdout)
    const env = {...baseEnv, ...sandboxEnv}

    // Scheduled far in the future, so the sandbox stores and admits them without running 500 processes.
    const file = join(home, 'jobs.yaml')
    const entries = Array.from({length: jobCount}, (_, i) => `- {name: scale-${i}, command: ./job.sh, image: python3.11, schedule: "${i % 60} 3 1 1 *"}`)
    writeFileSync(file, entries.join('\n') + '\n')
    const loadStarted = performance.now()
    await tf(['jobs', 'load', file], env)
    const loadSeconds = (performance.now() - loadStarted) / 1000

    const listMs = []
    for (let i = 0; i < runs; i++) {
      const started = performance.now()
      const {stdout} = await tf(['jobs', 'list', '-o', 'name'], env)
      listMs.push(performance.now() - started)
      const listed = stdout.trim().split('\n').length
      if (listed !== jobCount) throw new Error(`jobs list showed ${listed} jobs, expected ${jobCount}`)
    }

    return {jobs: jobCount, loadSeconds: Number(loadSeconds.toFixed(2)), admittedJobsPerSecond: Math.round(jobCount / loadSeconds), jobsListMedianMs: Math.round(median(listMs))}
  } finally {
    await tf(['sandbox', 'stop', '--data-dir', dataDir]).catch(() => {})
    rmSync(dataDir, {recursive: true, force: true})
    rmSync(home, {recursive: true, force: true})
  }
}

const policy = await policyThroughput()
const sandbox = await sandboxScale()
if (opts.json) {
  process.stdout.write(JSON.stringify({policy, sandbox}, null, 2) + '\n')
} else {
  const target = (ok) => (ok ? 'ok' : 'MISSED')
  process.stdout.write(
    [
      '',
      'Scale',
      `  policy check, ${policy.objects} generated objects: ${policy.medianPodsPerSecond} pods/s median (first pass ${policy.firstPassPodsPerSecond}); target >= 20000: ${target(policy.medianPodsPerSecond >= 20_000)}`,
      `  sandbox, ${sandbox.jobs} jobs in one tool: jobs load ${sandbox.loadSeconds} s (${sandbox.admittedJobsPerSecond} jobs admitted/s, each built and policy-checked)`,
      `  sandbox, ${sandbox.jobs} jobs in one tool: toolforge jobs list ${sandbox.jobsListMedianMs} ms median over HTTPS`,
      '',
    ].join('\n'),
  )
}
