// The cases `npm run bench` measures. Append a case here to have it run interleaved with the
// others and reported in the same table and JSON; scripts/bench.js needs no change.
//
// A case is an object:
//   id          stable key (JSON output, `--only`)
//   label       text of its table row
//   args(ctx)   arguments for `node`: usually [ctx.bin, ...toolforge argv]
//   env(ctx)    optional extra environment on top of ctx.env
//   check(s)    optional: returns a problem description when the output is wrong; it runs on
//               the first warm-up sample, so a broken build is reported instead of timed
//   value(s)    optional: the number to report instead of wall time, from a sample
//               {ms, cpuMs, rssMb, code, stdout, stderr} (e.g. objects per second); give `unit`
//               and, when more is better, `higherIsBetter: true`
//   ratioTo(m)  optional: the baseline (ms) for the ratio columns, from per-case medians `m`
//               keyed by id; defaults to `node -e 0` measured in the same run
//   maxRatio, maxValue (minValue with higherIsBetter), maxRssMb: targets, shown as ok/MISSED
//   setup(ctx)  optional async preparation (fixtures in ctx.tmp); may return a cleanup function
//
// ctx: {root, bin, env, tmp, tool, server: {url, timingsMs}}. In `m`, `server` is the loopback
// jobs API's own median time per request, so a case can leave the server's share out.
//
// Later cases (a policy check of thousands of objects, a sandbox with hundreds of jobs) belong
// here too: they build their inputs in setup() and report throughput through value().

import {execFile} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

const FLOOR = fileURLToPath(new URL('bench-floor.cjs', import.meta.url))
const listsTwentyJobs = (s) => (s.stdout.match(/bench-job-\d+/g)?.length === 20 ? undefined : 'the table does not show the 20 jobs')

const noError = (s) => (s.code === 0 ? undefined : `exit ${s.code}: ${s.stderr.trim().split('\n').slice(-3).join(' | ')}`)

export const cases = [
  {
    id: 'node',
    label: 'node -e 0',
    args: () => ['-e', '0'],
  },
  {
    id: 'version',
    label: 'toolforge --version',
    args: (ctx) => [ctx.bin, '--version'],
    check: (s) => noError(s) ?? (/^toolforge\/\S+ \S+-\S+ node-v\S+\n$/.test(s.stdout) ? undefined : `unexpected output ${JSON.stringify(s.stdout)}`),
    maxRatio: 1.5,
  },
  {
    id: 'jobs-help',
    label: 'toolforge jobs --help',
    args: (ctx) => [ctx.bin, 'jobs', '--help'],
    check: (s) => noError(s) ?? (s.stdout.includes('jobs list') ? undefined : 'the help does not list `jobs list`'),
    maxRatio: 1.5,
  },
  {
    id: 'jobs-list',
    label: 'toolforge jobs list (20 jobs)',
    args: (ctx) => [ctx.bin, 'jobs', 'list'],
    check: (s) => noError(s) ?? listsTwentyJobs(s),
    ratioTo: (m) => m.node + m.server,
    maxRatio: 2,
    maxValue: 120,
    maxRssMb: 80,
  },
  {
    // No target: it shows what the libraries alone cost (scripts/bench-floor.cjs), so that the gap
    // from here to `jobs list` is what our code costs.
    id: 'stack-floor',
    label: '  floor: its libraries alone',
    args: (ctx) => [FLOOR, ctx.root],
    check: (s) => noError(s) ?? listsTwentyJobs(s),
    ratioTo: (m) => m.node + m.server,
  },
  {
    id: 'complete-jobs',
    label: 'TAB: job names, warm cache',
    args: (ctx) => [ctx.bin, '__complete', '--', 'jobs', 'show', ''],
    // Fill the cache once, as the background refresh would; the TABs measured then only read it.
    // (Asynchronously: the jobs API answering it runs in this process.)
    setup: async (ctx) => {
      await promisify(execFile)(process.execPath, [ctx.bin, '__complete', '--refresh', 'jobs'], {cwd: ctx.tmp, env: ctx.env})
    },
    check: (s) => noError(s) ?? (s.stdout.includes('bench-job-1') ? undefined : `no job names in ${JSON.stringify(s.stdout.slice(0, 200))}`),
    maxValue: 100,
  },
]
