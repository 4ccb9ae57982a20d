// The cases `npm run bench` measures. Append a case here to have it run interleaved with the
// others and reported in the same table and JSON; scripts/bench.js needs no change.
//
// A case is an object:
//   id          stable key (JSON output, `--only`)
//   label       text of its table row
//   args(ctx)   arguments for `node`: usually [ctx.bin, ...toolforge argv]
//   env(ctx)    optional extra environment on top of ctx.env
//   measure     'time' (wall clock of the whole process, default) or 'rss' (its peak resident set)
//   value(s)    optional: turns a sample {ms, rssKb, code, stdout, stderr} into the reported number,
//               e.g. objects per second; then also give `unit` and, if so, `higherIsBetter: true`
//   check(s)    optional: returns a problem description when the output is wrong (run on the
//               warm-up sample, so a broken build is reported instead of timed)
//   ratioTo(m)  optional: baseline in ms for the ratio column, from the medians `m` by id;
//               time cases default to `node -e 0` measured in the same run
//   maxRatio, maxValue (or minValue when higherIsBetter): targets shown as ok/MISSED
//   setup(ctx)  optional async preparation (fixtures under ctx.tmp); may return a cleanup function
//
// ctx: {root, bin, env, tmp, tool, server: {url, timingsMs}}. `m.server` is the jobs API server's
// own median time per request.

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
    check: (s) => noError(s) ?? (s.stdout.includes('jobs list') ? undefined : 'help does not list `jobs list`'),
    maxRatio: 1.5,
  },
  {
    id: 'jobs-list',
    label: 'toolforge jobs list (20 jobs)',
    args: (ctx) => [ctx.bin, 'jobs', 'list'],
    check: (s) => noError(s) ?? (s.stdout.match(/bench-job-\d+/g)?.length === 20 ? undefined : 'the table does not show the 20 jobs'),
    ratioTo: (m) => m.node + m.server,
    maxRatio: 2,
    maxValue: 120,
  },
  {
    id: 'jobs-list-rss',
    label: 'toolforge jobs list, peak RSS',
    args: (ctx) => [ctx.bin, 'jobs', 'list'],
    measure: 'rss',
    check: noError,
    maxValue: 80,
  },
]
