import {setQuotaOverrides} from './quota.js'
import {readFileSync} from 'node:fs'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {createServer} from 'node:https'
import type {TLSSocket} from 'node:tls'

import {ensureCerts} from './certs.js'
import {ApiError} from './errors.js'
import {sendError, sendJson} from './http.js'
import {JobsService} from './jobs-service.js'
import {DEFAULT_TOOL, DEFAULT_UID, storePath} from './paths.js'
import {envvarsRoute} from './routes-envvars.js'
import {jobsRoute, type RouteContext} from './routes-jobs.js'
import {Runtime} from './runtime.js'
import {Scheduler} from './scheduler.js'
import {Store} from './store.js'

export interface ServerOptions {
  dataDir: string
  port: number
  host?: string
  /** The tool the sandbox is set up for (its client certificate is created); others may still connect. */
  tool?: string
  /** uid of that tool; jobs run with it in their securityContext. */
  uid?: number
  /** Clock for the scheduler, timestamps and statuses. */
  now?: () => Date
  /** How often the scheduler looks at the clock. */
  schedulerIntervalMs?: number
  /** First crash/retry back-off (kubelet and Job controller: 10 s). */
  backoffBaseMs?: number
  backoffCapMs?: number
  /** terminationGracePeriodSeconds, in ms. */
  graceMs?: number
  /** ttlSecondsAfterFinished of one-off and scheduled runs, in ms. */
  ttlMs?: number
  /** ResourceQuota overrides, e.g. {'count/cronjobs.batch': '128'}. */
  quota?: Record<string, string>
}

export interface SandboxServer {
  port: number
  url: string
  close(): Promise<void>
}

const HEALTH: Record<string, unknown> = {
  jobs: {health: {status: 'OK', message: 'OK'}, messages: {}},
  envvars: {status: 'OK', messages: {}},
}

function authenticate(req: IncomingMessage): string {
  const socket = req.socket as TLSSocket
  const cert = socket.getPeerCertificate()
  if (!cert || !cert.subject) throw new ApiError(401, ['Unauthorized: a client certificate is required'])
  if (!socket.authorized) throw new ApiError(401, [`Unauthorized: the client certificate is not trusted (${String(socket.authorizationError)})`])
  const {CN, O} = cert.subject as unknown as Record<string, string | string[] | undefined>
  const orgs = Array.isArray(O) ? O : [O]
  if (typeof CN !== 'string' || CN === '' || !orgs.includes('toolforge')) {
    throw new ApiError(401, ['Unauthorized: the client certificate is not a tool certificate (O=toolforge, CN=<tool>)'])
  }
  return CN
}

async function route(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://sandbox.invalid')
  // Every route answers with and without a trailing slash (redirect_slashes=False upstream).
  const segments = url.pathname.split('/').filter((s) => s !== '')
  const [api, version, third, pathTool, ...rest] = segments
  if (!['jobs', 'envvars', 'builds'].includes(api)) throw new ApiError(404, ['Not Found'])

  if (version === 'v1' && segments.length === 3 && (third === 'healthz' || third === 'metrics')) {
    if (api === 'builds') throw new ApiError(501, ['builds are not available in the sandbox'])
    if (third === 'healthz') return sendJson(res, 200, HEALTH[api])
    const text = `# TYPE sandbox_jobs gauge\nsandbox_jobs ${ctx.store.listJobs().length}\n`
    res.writeHead(200, {'Content-Type': 'text/plain; version=0.0.4'})
    res.end(text)
    return
  }
  if (version !== 'v1' || third !== 'tool' || !pathTool) throw new ApiError(404, ['Not Found'])

  const tool = authenticate(req)
  if (decodeURIComponent(pathTool) !== tool) {
    throw new ApiError(403, [`Forbidden: the certificate of tool '${tool}' does not give access to tool '${decodeURIComponent(pathTool)}'`])
  }
  if (api === 'builds') throw new ApiError(501, ['builds are not available in the sandbox'])
  if (api === 'envvars') return envvarsRoute(req, res, ctx.store, tool, rest)
  return jobsRoute(req, res, ctx, tool, rest, url)
}

export async function startServer(opts: ServerOptions): Promise<SandboxServer> {
  const tool = opts.tool ?? DEFAULT_TOOL
  const uid = opts.uid ?? DEFAULT_UID
  const host = opts.host ?? '127.0.0.1'
  const now = opts.now ?? (() => new Date())
  setQuotaOverrides(opts.quota ?? {})
  const certs = ensureCerts(opts.dataDir, tool)
  const store = new Store(storePath(opts.dataDir))
  store.ensureTool(tool, uid, now().toISOString())

  let url = ''
  const runtime = new Runtime(store, {
    dataDir: opts.dataDir,
    now,
    apiUrl: () => url,
    graceMs: opts.graceMs ?? 15_000,
    backoffBaseMs: opts.backoffBaseMs ?? 10_000,
    backoffCapMs: opts.backoffCapMs ?? 300_000,
    ttlMs: opts.ttlMs ?? 30_000,
    onOneOffGone: (t, name, created) => {
      if (store.getJob(t, name)?.created === created) store.deleteJob(t, name)
    },
  })
  const jobs = new JobsService(store, runtime, {
    buildUid: (t) => (t === tool ? uid : store.ensureTool(t, undefined, now().toISOString())),
    policyUid: (t) => store.ensureTool(t, t === tool ? uid : undefined, now().toISOString()),
  })
  const ctx: RouteContext = {store, runtime, jobs, streams: new Set()}

  const server = createServer({
    key: readFileSync(certs.serverKey),
    cert: readFileSync(certs.serverCert),
    ca: readFileSync(certs.caCert),
    requestCert: true,
    rejectUnauthorized: false,
  }, (req, res) => {
    route(req, res, ctx).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy()
        return
      }
      sendError(res, error instanceof ApiError ? error : new ApiError(500, [`Unknown error (${(error as Error)?.message ?? String(error)})`]))
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      store.close()
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${opts.port} on ${host} is already in use`) : error)
    })
    server.listen(opts.port, host, () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : opts.port
  url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`

  runtime.recover()
  runtime.resume()
  const scheduler = new Scheduler(runtime, opts.schedulerIntervalMs ?? 1000)
  scheduler.start()

  let closing: Promise<void> | undefined
  return {
    port,
    url,
    close() {
      closing ??= (async () => {
        scheduler.stop()
        for (const res of ctx.streams) res.end()
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeAllConnections()
        await runtime.close()
        await closed
        store.close()
      })()
      return closing
    },
  }
}
