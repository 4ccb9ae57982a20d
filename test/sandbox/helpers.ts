import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {request} from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import nock from 'nock'

import {certPaths} from '../../src/sandbox/certs.js'
import {type ServerOptions, startServer} from '../../src/sandbox/server.js'

export interface Client {
  call(method: string, path: string, body?: unknown): Promise<{status: number; body: any; text: string; headers: Record<string, unknown>}>
}

export interface Harness {
  dataDir: string
  url: string
  port: number
  client: Client
  close(): Promise<void>
  restart(extra?: Partial<ServerOptions>): Promise<void>
}

/** The global test setup blocks the network; these tests talk to servers on loopback. */
export function allowLoopback(): void {
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'))
}

export function tempDir(prefix = 'tf-sandbox-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function clientFor(port: number, auth?: {cert: string | Buffer; key: string | Buffer}, ca?: Buffer): Client {
  return {
    call(method, path, body) {
      return new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
        const req = request({
          host: '127.0.0.1', port, path, method, ca, rejectUnauthorized: ca !== undefined,
          ...(auth ? {cert: auth.cert, key: auth.key} : {}),
          headers: payload === undefined ? {} : {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload)},
        }, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            let parsed: unknown
            try {
              parsed = JSON.parse(text)
            } catch {
              parsed = undefined
            }
            resolve({status: res.statusCode ?? 0, body: parsed, text, headers: res.headers})
          })
        })
        req.on('error', reject)
        if (payload !== undefined) req.write(payload)
        req.end()
      })
    },
  }
}

export const FAST: Partial<ServerOptions> = {schedulerIntervalMs: 50, backoffBaseMs: 200, backoffCapMs: 1000, graceMs: 1000}

export async function startHarness(extra: Partial<ServerOptions> = {}, dataDir = tempDir()): Promise<Harness> {
  let options: ServerOptions = {dataDir, port: 0, ...FAST, ...extra}
  let server = await startServer(options)
  const paths = certPaths(dataDir)
  const makeClient = (port: number): Client => clientFor(port, {cert: readFileSync(paths.clientCert), key: readFileSync(paths.clientKey)}, readFileSync(paths.caCert))
  const h: Harness = {
    dataDir,
    url: server.url,
    port: server.port,
    client: makeClient(server.port),
    async close() {
      await server.close()
    },
    async restart(more = {}) {
      await server.close()
      options = {...options, ...more}
      server = await startServer(options)
      h.port = server.port
      h.url = server.url
      h.client = makeClient(server.port)
    },
  }
  return h
}

export function cleanup(dir: string): void {
  rmSync(dir, {recursive: true, force: true})
}

export async function waitFor<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 8000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export const JOBS = '/jobs/v1/tool/tf-test'

/** Whether a process exists and is not a zombie (PID 1 here may be slow to reap orphans). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}
