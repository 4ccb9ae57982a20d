// What a benchmarked command needs around it: a tool account's HOME and a jobs API on loopback.
// Kept free of test frameworks so the bench runs with plain `node` against the built CLI.
import {chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const CERTS = fileURLToPath(new URL('../test/fixtures/certs/', import.meta.url))

/** A HOME laid out like a Toolforge tool account: kubeconfig naming `tool-<tool>` plus a client certificate. */
export function makeToolHome(tool = 'benchtool') {
  const home = mkdtempSync(join(tmpdir(), 'tf-bench-home-'))
  mkdirSync(join(home, '.kube'))
  mkdirSync(join(home, '.toolskube'))
  copyFileSync(join(CERTS, 'client.crt'), join(home, '.toolskube/client.crt'))
  copyFileSync(join(CERTS, 'client.key'), join(home, '.toolskube/client.key'))
  // As maintain-kubeusers writes it; a checkout gives the fixture 0644, which the CLI warns about.
  chmodSync(join(home, '.toolskube/client.key'), 0o600)
  const kubeconfig = `apiVersion: v1
kind: Config
current-context: toolforge
clusters:
- name: toolforge
  cluster: {server: "https://k8s.example.test:6443"}
contexts:
- name: toolforge
  context: {cluster: toolforge, namespace: tool-${tool}, user: tf-${tool}}
users:
- name: tf-${tool}
  user: {client-certificate: ../.toolskube/client.crt, client-key: ../.toolskube/client.key}
`
  writeFileSync(join(home, '.kube/config'), kubeconfig, {mode: 0o600})
  return {home, tool, remove: () => rmSync(home, {recursive: true, force: true})}
}

/** Jobs of every type, so the table has the widths and cells a real tool's list has. */
export function sampleJobs(count = 20, tool = 'benchtool') {
  const kinds = [
    {job_type: 'one-off', status_short: 'Completed'},
    {job_type: 'scheduled', schedule: '17 4 * * *', status_short: 'Last schedule time: 2026-11-21T04:17:00Z', timeout: 3600},
    {job_type: 'continuous', status_short: 'Running', replicas: 2, port: 8080, port_protocol: 'tcp', health_check: {type: 'http', path: '/healthz'}},
  ]
  return Array.from({length: count}, (_, i) => ({
    name: `bench-job-${String(i).padStart(2, '0')}`,
    cmd: `./run.sh --shard ${i}`,
    imagename: i % 4 === 0 ? 'tool-benchtool/tool-benchtool:latest' : 'python3.11',
    image_state: 'stable',
    filelog: true,
    filelog_stdout: `/data/project/${tool}/bench-job-${i}.out`,
    filelog_stderr: `/data/project/${tool}/bench-job-${i}.err`,
    emails: 'none',
    mount: 'all',
    memory: '0.5Gi',
    cpu: '0.1',
    retry: i % 3,
    ...kinds[i % kinds.length],
  }))
}

/**
 * A loopback jobs API answering `GET …/jobs/v1/tool/<tool>/jobs[/]` with `jobs`. Each request's own
 * handling time is recorded, so the bench can tell the CLI's cost apart from the server's.
 */
export async function startJobsServer(jobs, tool = 'benchtool') {
  const listPath = `/jobs/v1/tool/${tool}/jobs`
  const body = JSON.stringify({jobs, messages: {}})
  const timingsMs = []
  const server = createServer((req, res) => {
    const started = process.hrtime.bigint()
    res.on('finish', () => timingsMs.push(Number(process.hrtime.bigint() - started) / 1e6))
    const {pathname} = new URL(req.url ?? '/', 'http://localhost')
    if (req.method === 'GET' && pathname.replace(/\/$/, '') === listPath) {
      res.writeHead(200, {'content-type': 'application/json'})
      res.end(body)
      return
    }

    res.writeHead(404, {'content-type': 'application/json'})
    res.end(JSON.stringify({error: [`no route for ${req.method} ${pathname} in the bench server`]}))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address()
  return {
    url: `http://127.0.0.1:${port}`,
    timingsMs,
    close() {
      // Clients that exit leave idle keep-alive sockets behind; do not wait out their timeout.
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    },
  }
}
