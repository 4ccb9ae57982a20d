#!/usr/bin/env node
// Start-up bench of the BUILT CLI (run `npm run build` first; this builds nothing).
//
//   node scripts/bench.js [--runs 15] [--warmup 1] [--only id,id] [--json] [--root <checkout>]
//                         [--pass-env NAME,NAME] [--scale]
//
// Every case runs as a fresh process, round-robin with the others (the starting case rotates
// each round), so a burst of background load hits all cases alike instead of skewing one. Ratios
// divide by `node -e 0` measured in the same run: absolute times vary with the machine and its
// load, the ratio is what we steer by. Wall time is what users feel; CPU time (user + system of
// the process) is reported beside it because it barely moves when other jobs compete for the
// cores. Cases live in scripts/bench-cases.js; `--root` benches another checkout's build. `--scale`
// (as `npm run bench` passes) then runs scripts/bench-scale.js on the same build; with `--json` its
// report becomes the `scale` field of this one.
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {availableParallelism, loadavg, tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {cases as allCases} from './bench-cases.js'
import {makeToolHome, sampleJobs, startJobsServer} from './bench-fixtures.js'

const PROBE = fileURLToPath(new URL('bench-probe.cjs', import.meta.url))

const {values: opts} = parseArgs({
  options: {
    runs: {type: 'string', default: '15'},
    warmup: {type: 'string', default: '1'},
    only: {type: 'string'},
    json: {type: 'boolean', default: false},
    root: {type: 'string', default: fileURLToPath(new URL('..', import.meta.url))},
    'pass-env': {type: 'string'},
    scale: {type: 'boolean', default: false},
    help: {type: 'boolean', short: 'h', default: false},
  },
})

function fail(message) {
  process.stderr.write(`bench: ${message}\n`)
  process.exit(1)
}

if (opts.help) {
  process.stdout.write('usage: node scripts/bench.js [--runs N] [--warmup N] [--only id,id] [--json] [--root <checkout>] [--pass-env NAME,NAME] [--scale]\n')
  process.stdout.write(`cases: ${allCases.map((c) => c.id).join(', ')}\n`)
  process.exit(0)
}

const runs = Number.parseInt(opts.runs, 10)
const warmup = Number.parseInt(opts.warmup, 10)
if (!(runs > 0) || !(warmup >= 0)) fail('--runs must be a positive integer and --warmup a non-negative one')
const root = resolve(opts.root)
if (!existsSync(join(root, 'dist')) || !existsSync(join(root, 'oclif.manifest.json'))) {
  fail(`${root} has no build (dist/ or oclif.manifest.json is missing): run \`npm run build\` first; the bench measures the built CLI and builds nothing itself.`)
}

const wanted = opts.only?.split(',')
for (const id of wanted ?? []) if (!allCases.some((c) => c.id === id)) fail(`unknown case ${id}; known: ${allCases.map((c) => c.id).join(', ')}`)
// The baseline always runs: every ratio needs it from this same run.
const cases = allCases.filter((c) => !wanted || wanted.includes(c.id) || c.id === 'node')

function runOnce(kase, ctx) {
  return new Promise((done, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, ['--require', PROBE, ...kase.args(ctx)], {
      cwd: ctx.tmp,
      env: {...ctx.env, ...kase.env?.(ctx)},
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    })
    const out = {stdout: '', stderr: '', probe: ''}
    child.stdout.setEncoding('utf8').on('data', (d) => (out.stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d) => (out.stderr += d))
    child.stdio[3].setEncoding('utf8').on('data', (d) => (out.probe += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = performance.now() - started
      const [cpuUs, rssKb] = out.probe.trim().split(' ').map(Number)
      done({ms, cpuMs: cpuUs / 1000, rssMb: rssKb / 1024, code, stdout: out.stdout, stderr: out.stderr})
    })
  })
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** scripts/bench-scale.js on the same build: its JSON report with `--json`, else printed as it runs. */
async function scaleBench() {
  const args = [fileURLToPath(new URL('bench-scale.js', import.meta.url)), '--root', root, ...(opts.json ? ['--json'] : [])]
  const child = spawn(process.execPath, args, {stdio: ['ignore', opts.json ? 'pipe' : 'inherit', 'inherit']})
  let out = ''
  child.stdout?.setEncoding('utf8').on('data', (d) => (out += d))
  const [code] = await once(child, 'close')
  if (code !== 0) fail(`scripts/bench-scale.js exited with ${code}`)
  return opts.json ? JSON.parse(out) : undefined
}

async function main() {
  let rows
  const tool = makeToolHome()
  const server = await startJobsServer(sampleJobs(20, tool.tool), tool.tool)
  const tmp = mkdtempSync(join(tmpdir(), 'tf-bench-'))
  // A clean environment: inherited NODE_OPTIONS, DEBUG or TOOLFORGE_* would change what is measured.
  const env = {PATH: process.env.PATH, HOME: tool.home, TOOL_TOOLFORGE_API_URL: server.url}
  for (const key of ['LANG', 'SHELL', 'TERM', 'TMPDIR']) if (process.env[key]) env[key] = process.env[key]
  // On request, variables of the caller's that change how fast Node itself starts (for example
  // NODE_EXTRA_CA_CERTS, which parses a CA bundle in every process, `node -e 0` included).
  for (const key of opts['pass-env']?.split(',') ?? []) if (process.env[key] !== undefined) env[key] = process.env[key]
  const ctx = {root, bin: join(root, 'bin/run.js'), env, tmp, tool: tool.tool, server}
  const cleanups = []
  const load = [loadavg()[0]]
  try {
    for (const kase of cases) {
      const cleanup = await kase.setup?.(ctx)
      if (typeof cleanup === 'function') cleanups.push(cleanup)
    }

    for (let i = 0; i < warmup; i++) {
      for (const kase of cases) {
        const sample = await runOnce(kase, ctx)
        const problem = i === 0 ? kase.check?.(sample, ctx) : undefined
        if (problem) throw new Error(`case ${kase.id} (${kase.label}) is broken: ${problem}`)
      }
    }

    server.timingsMs.length = 0
    const samples = new Map(cases.map((c) => [c.id, []]))
    for (let round = 0; round < runs; round++) {
      for (let k = 0; k < cases.length; k++) {
        const kase = cases[(round + k) % cases.length]
        const sample = await runOnce(kase, ctx)
        if (sample.code !== 0 && !kase.value) throw new Error(`case ${kase.id} failed in round ${round + 1}: exit ${sample.code}\n${sample.stderr}`)
        samples.get(kase.id).push(sample)
      }
    }

    load.push(loadavg()[0])
    rows = summarize(samples, server.timingsMs)
  } finally {
    for (const cleanup of cleanups) await cleanup()
    await server.close()
    tool.remove()
    rmSync(tmp, {recursive: true, force: true})
  }

  return {rows, load}
}

function summarize(samples, serverTimings) {
  const of = (id, key) => samples.get(id).map((s) => s[key])
  const serverMs = serverTimings.length > 0 ? median(serverTimings) : 0
  const wall = {server: serverMs}
  const cpu = {server: serverMs}
  for (const kase of cases) {
    wall[kase.id] = median(of(kase.id, 'ms'))
    cpu[kase.id] = median(of(kase.id, 'cpuMs'))
  }

  const rows = cases.map((kase) => {
    const list = samples.get(kase.id)
    const values = kase.value ? list.map((s) => kase.value(s)) : of(kase.id, 'ms')
    const row = {
      id: kase.id,
      label: kase.label,
      unit: kase.unit ?? 'ms',
      median: median(values),
      p90: quantile(values, kase.higherIsBetter ? 0.1 : 0.9),
      cpuMs: cpu[kase.id],
      rssMb: median(of(kase.id, 'rssMb')),
      samples: list.map(({ms, cpuMs, rssMb}) => ({ms, cpuMs, rssMb})),
    }
    if (kase.id !== 'node' && !kase.value) {
      const baseline = kase.ratioTo ?? ((m) => m.node)
      row.ratio = row.median / baseline(wall)
      row.cpuRatio = row.cpuMs / baseline(cpu)
    }

    const targets = []
    if (kase.maxRatio !== undefined) targets.push({text: `≤${kase.maxRatio}x`, ok: row.ratio <= kase.maxRatio})
    if (kase.maxValue !== undefined) targets.push({text: `<${kase.maxValue} ${row.unit}`, ok: row.median < kase.maxValue})
    if (kase.minValue !== undefined) targets.push({text: `>${kase.minValue} ${row.unit}`, ok: row.median > kase.minValue})
    if (kase.maxRssMb !== undefined) targets.push({text: `RSS <${kase.maxRssMb} MB`, ok: row.rssMb < kase.maxRssMb})
    if (targets.length > 0) row.targets = targets
    return row
  })
  if (serverTimings.length > 0) {
    rows.push({id: 'server', label: 'jobs API server, own time per request', unit: 'ms', median: serverMs, p90: quantile(serverTimings, 0.9)})
  }

  return rows
}

function report(rows, load, scale) {
  const passedEnv = (opts['pass-env']?.split(',') ?? []).filter((key) => process.env[key] !== undefined)
  const meta = {node: process.version, cpus: availableParallelism(), runs, loadavg: load, root, passedEnv}
  if (opts.json) {
    process.stdout.write(JSON.stringify({...meta, results: rows, ...(scale ? {scale} : {})}, null, 2) + '\n')
    return
  }

  const num = (n, unit) => (n === undefined ? '' : `${n.toFixed(n < 10 ? 2 : 1)}${unit ? ` ${unit}` : ''}`)
  const times = (r) => (r === undefined ? '' : `${r.toFixed(2)}x`)
  const table = [['case', 'median', 'p90', 'ratio', 'CPU', 'CPU ratio', 'peak RSS', 'targets (wall, RSS)']]
  for (const row of rows) {
    const targets = (row.targets ?? []).map((t) => `${t.text} ${t.ok ? 'ok' : 'MISSED'}`).join(', ')
    table.push([row.label, num(row.median, row.unit), num(row.p90, row.unit), times(row.ratio), num(row.cpuMs, 'ms'), times(row.cpuRatio), num(row.rssMb, 'MB'), targets])
  }

  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)))
  const left = new Set([0, 7])
  const line = (r) => r.map((cell, i) => (left.has(i) ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd()
  process.stdout.write(`${runs} runs per case, interleaved; node ${meta.node}, ${meta.cpus} CPUs, load average ${load.map((l) => l.toFixed(2)).join(' → ')}\n`)
  process.stdout.write(`environment: clean${passedEnv.length > 0 ? ` plus ${passedEnv.join(', ')}` : ''}\n`)
  process.stdout.write('ratio = median / median of `node -e 0` from this run (jobs list: / (node -e 0 + server time))\n\n')
  process.stdout.write(table.map(line).join('\n') + '\n')
}

async function benchAll() {
  const {rows, load} = await main()
  if (!opts.json) report(rows, load)
  const scale = opts.scale ? await scaleBench() : undefined
  if (opts.json) report(rows, load, scale)
}

benchAll().catch((error) => fail(error.stack ?? error.message))
