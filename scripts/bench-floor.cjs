// The least a `toolforge jobs list` can cost while built on this CLI's libraries: the same bundle
// the CLI loads (dist/vendor/libs.js, with its code cache), oclif's framework evaluated as any
// command evaluates it, the kubeconfig parsed with yaml, one GET with axios and the 20 jobs drawn
// with cli-table3, and nothing else: no oclif command, no flags, no retries or checks of ours.
// The bench times it beside `jobs list` (case stack-floor), so the gap between the two is what
// our own code costs and the floor itself is what the stack costs.
//
//   node scripts/bench-floor.cjs <checkout>   (HOME and TOOL_TOOLFORGE_API_URL as the bench sets them)
'use strict'
const {readFileSync} = require('node:fs')
const {join} = require('node:path')

const root = process.argv[2]
const libs = require(join(root, 'dist', 'vendor', 'libs.js'))
const interop = (module) => module.default ?? module

void libs['@oclif/core']
const kubeconfig = libs.yaml.parse(readFileSync(join(process.env.HOME, '.kube', 'config'), 'utf8'))
const tool = kubeconfig.contexts[0].context.namespace.replace(/^tool-/, '')
const axios = interop(libs.axios)
const url = `${process.env.TOOL_TOOLFORGE_API_URL}/jobs/v1/tool/${tool}/jobs/`

axios.get(url, {responseType: 'text', maxRedirects: 0, proxy: false}).then(({data}) => {
  const Table = interop(libs['cli-table3'])
  const table = new Table({head: ['Job name:', 'Job type:', 'Status:'], truncate: '...', style: {head: [], border: []}})
  for (const job of JSON.parse(data).jobs) table.push([job.name, job.job_type, job.status_short])
  process.stdout.write(table.toString() + '\n')
})
