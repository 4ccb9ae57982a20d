#!/usr/bin/env node
// Start-up bench of the BUILT CLI (run `npm run build` first; this builds nothing).
//
//   node scripts/bench.js [--runs 15] [--only id,id] [--json] [--root <checkout>]
//
// Every case runs as a fresh process, round-robin with the others (the starting case rotates
// each round), so a burst of background load hits all cases alike instead of skewing one. Ratios
// divide by `node -e 0` measured in the same run: absolute times vary with the machine and its
// load, the ratio is what we steer by. Cases live in scripts/bench-cases.js.
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {availableParallelism, loadavg, tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'

import {cases as allCases} from './bench-cases.js'
import {makeToolHome, sampleJobs, startJobsServer} from './bench-fixtures.js'

const RSS_PROBE = pathToFileURL(fileURLToPath(new URL('bench-rss-probe.js', import.meta.url))).href

const {values: opts} = parseArgs({
  options: {
    runs: {type: 'string', default: '15'},
    warmup: {type: 'string', default: '1'},
    only: {type: 'string'},
    json: {type: 'boolean', default: false},
    root: {type: 'string', default: fileURLToPath(new URL('..', import.meta.url))},
    help: {type: 'boolean', short: 'h', default: false},
  },
})

if (opts.help) {
  process.stdout.write('usage: node scripts/bench.js [--runs N] [--warmup N] [--only id,id] [--json] [--root <checkout>]\n')
  process.stdout.write(`cases: ${allCases.map((c) => c.id).join(', ')}\n`)
  process.exit(0)
}

const runs = Number.parseInt(opts.runs, 10)
const warmup = Number.parseInt(opts.warmup, 10)
if (!(runs > 0) || !(warmup >= 0)) fail('--runs must be a positive integer and --warmup a non-negative one')
const root = resolve(opts.root)
if (!existsSync(join(root, 'dist')) || !existsSync(join(root, 'oclif.manifest.json'))) {
  fail(`${root} has no build (dist/ or oclif.manifest.json missing): run \`npm run build\` first; the bench measures the built CLI and builds nothing itself.`)
}

const wanted = opts.only ? new Set(opts.only.split(',')) : undefined
// The baseline always runs: every ratio needs it from this same run.
const cases = allCases.filter((c) => !wanted || wanted.has(c.id) || c.id === 'node')
for (const id of wanted ?? []) if (!allCases.some((c) => c.id === id)) fail(`unknown case ${id}; known: ${allCases.map((c) => c.id).join(', ')}`)

function fail(message) {
  process.stderr.write(`bench: ${message}\n`)
  process.exit(1)
}

function runOnce(kase, ctx) {
  const rss = kase.measure === 'rss'
  const args = rss ? ['--import', RSS_PROBE, ...kase.args(ctx)] : kase.args(ctx)
  return new Promise((done, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, args, {
      cwd: ctx.tmp,
      env: {...ctx.env, ...kase.env?.(ctx)},
      stdio: ['ignore', 'pipe', 'pipe', rss ? 'pipe' : 'ignore'],
    })
    const out = {stdout: '', stderr: '', probe: ''}
    child.stdout.setEncoding('utf8').on('data', (d) => (out.stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d) => (out.stderr += d))
    if (rss) child.stdio[3].setEncoding('utf8').on('data', (d) => (out.probe += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = performance.now() - started
      done({ms, code, stdout: out.stdout, stderr: out.stderr, rssKb: rss ? Number.parseInt(out.probe, 10) : undefined})
    })
  })
}

function valueOf(kase, sample) {
  if (kase.value) return kase.value(sample)
  return kase.measure === 'rss' ? sample.rssKb / 1024 : sample.ms
}

function unitOf(kase) {
  return kase.unit ?? (kase.measure === 'rss' ? 'MB' : 'ms')
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function main() {
  const tool = makeToolHome()
  const server = await startJobsServer(sampleJobs(20, tool.tool), tool.tool)
  const tmp = mkdtempSync(join(tmpdir(), 'tf-bench-'))
  // A clean environment: inherited NODE_OPTIONS, DEBUG or TOOLFORGE_* would change what is measured.
  const env = {PATH: process.env.PATH, HOME: tool.home, TOOL_TOOLFORGE_API_URL: server.url}
  for (const key of ['LANG', 'SHELL', 'TERM', 'TMPDIR']) if (process.env[key]) env[key] = process.env[key]
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
        samples.get(kase.id).push(valueOf(kase, sample))
      }
    }

    load.push(loadavg()[0])
    return report(samples, server.timingsMs, load)
  } finally {
    for (const cleanup of cleanups) await cleanup()
    await server.close()
    tool.remove()
    rmSync(tmp, {recursive: true, force: true})
  }
}

function report(samples, serverTimings, load) {
  const medians = Object.fromEntries([...samples].map(([id, values]) => [id, median(values)]))
  medians.server = serverTimings.length > 0 ? median(serverTimings) : 0
  const rows = cases.map((kase) => {
    const values = samples.get(kase.id)
    const unit = unitOf(kase)
    const row = {id: kase.id, label: kase.label, unit, median: medians[kase.id], p90: quantile(values, kase.higherIsBetter ? 0.1 : 0.9), samples: values}
    const timed = !kase.value && kase.measure !== 'rss'
    const base = kase.ratioTo ? kase.ratioTo(medians) : timed && kase.id !== 'node' ? medians.node : undefined
    if (base) row.ratio = row.median / base
    const targets = []
    if (kase.maxRatio !== undefined) targets.push({text: `≤${kase.maxRatio}x`, ok: row.ratio <= kase.maxRatio})
    if (kase.maxValue !== undefined) targets.push({text: `<${kase.maxValue} ${unit}`, ok: row.median < kase.maxValue})
    if (kase.minValue !== undefined) targets.push({text: `>${kase.minValue} ${unit}`, ok: row.median > kase.minValue})
    if (targets.length > 0) row.targets = targets
    return row
  })
  if (serverTimings.length > 0) {
    rows.push({id: 'server', label: 'jobs API server, own time per request', unit: 'ms', median: medians.server, p90: quantile(serverTimings, 0.9), samples: serverTimings})
  }

  const meta = {node: process.version, cpus: availableParallelism(), runs, loadavg: load, root}
  if (opts.json) {
    process.stdout.write(JSON.stringify({...meta, results: rows}, null, 2) + '\n')
    return
  }

  const fmt = (n, unit) => (n === undefined ? '' : `${n.toFixed(n < 10 ? 2 : 1)} ${unit}`)
  const table = [['case', 'median', 'p90', 'ratio', 'target']]
  for (const row of rows) {
    const target = (row.targets ?? []).map((t) => `${t.text} ${t.ok ? 'ok' : 'MISSED'}`).join(', ')
    table.push([row.label, fmt(row.median, row.unit), fmt(row.p90, row.unit), row.ratio ? `${row.ratio.toFixed(2)}x` : '', target])
  }

  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)))
  const line = (r) => r.map((cell, i) => (i === 0 || i === 4 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd()
  process.stdout.write(`${runs} runs per case, interleaved; node ${meta.node}, ${meta.cpus} CPUs, load ${load.map((l) => l.toFixed(2)).join(' → ')}\n`)
  process.stdout.write(`ratio = median / median of \`node -e 0\` (jobs list: / (node -e 0 + server time))\n\n`)
  process.stdout.write([line(table[0]), ...table.slice(1).map(line)].join('\n') + '\n')
}

main().catch((error) => fail(error.message))
