import {once} from 'node:events'
import {createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import {createServer as createNetServer, type Server as NetServer, type Socket} from 'node:net'
import type {AddressInfo} from 'node:net'
import {TLSSocket} from 'node:tls'

// A loopback API gateway that misbehaves on cue. Each test scripts, per method and path, the answers the
// next requests get, then counts and inspects the requests that came in.

export type Fault =
  /** An ordinary answer; an object body is sent as JSON, a string as is. */
  | {status: number; body?: unknown; headers?: Record<string, string>}
  /** Read the whole request, then drop the connection without a word: the request did arrive. */
  | {reset: true}
  /** Read the request and never answer. */
  | {hang: true}
  /** Answer 200 (or `status`) and send these chunks `intervalMs` apart, then end the response, or cut the connection. */
  | {chunks: string[]; intervalMs?: number; cut?: boolean; headers?: Record<string, string>; status?: number}
  /** Wait, then behave like `then`. */
  | {delayMs: number; then: Fault}

export interface ReceivedRequest {
  method: string
  /** Path without the query string. */
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: string
  at: number
  /** Over TLS: the subject CN of the client certificate the request came with. */
  clientCN?: string
}

export interface FaultServer {
  url: string
  requests: ReceivedRequest[]
  /** Answers for `METHOD path`, one per request in order; the last one repeats. */
  on(method: string, path: string, ...faults: Fault[]): void
  count(method: string, path?: string): number
  /** TCP connections accepted, whether or not a request followed (a failed TLS handshake sends none). */
  connections(): number
  close(): Promise<void>
}

function answer(fault: Fault, res: ServerResponse): void {
  if ('delayMs' in fault) {
    const timer = setTimeout(() => answer(fault.then, res), fault.delayMs)
    res.on('close', () => clearTimeout(timer))
    return
  }

  if ('reset' in fault) {
    res.socket?.destroy()
    return
  }

  if ('hang' in fault) return
  if ('chunks' in fault) {
    res.writeHead(fault.status ?? 200, {'Content-Type': 'text/plain; charset=utf8', ...fault.headers})
    const pending = [...fault.chunks]
    let timer: NodeJS.Timeout | undefined
    // A client that went away ends the script; a pending chunk must not keep the test run alive.
    res.on('close', () => clearTimeout(timer))
    const next = () => {
      if (res.destroyed) return
      const chunk = pending.shift()
      if (chunk !== undefined) {
        res.write(chunk)
        timer = setTimeout(next, fault.intervalMs ?? 5)
      } else if (fault.cut) {
        res.socket?.destroy()
      } else {
        res.end()
      }
    }

    next()
    return
  }

  const json = typeof fault.body !== 'string' && fault.body !== undefined
  const text = json ? JSON.stringify(fault.body) : ((fault.body as string | undefined) ?? '')
  res.writeHead(fault.status, {'Content-Type': json ? 'application/json' : 'text/html', ...fault.headers})
  res.end(text)
}

function listen(server: Server | NetServer): Promise<number> {
  server.listen(0, '127.0.0.1')
  return once(server, 'listening').then(() => (server.address() as AddressInfo).port)
}

/** Plain HTTP unless `tls` (server certificate and key, PEM) is given. */
export async function startFaultServer(opts: {tls?: {cert: string; key: string}} = {}): Promise<FaultServer> {
  const routes = new Map<string, Fault[]>()
  const requests: ReceivedRequest[] = []
  const sockets = new Set<Socket>()
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fault.invalid')
      const method = req.method ?? 'GET'
      const peer = req.socket instanceof TLSSocket ? req.socket.getPeerCertificate() : undefined
      const clientCN = typeof peer?.subject?.CN === 'string' ? peer.subject.CN : undefined
      requests.push({method, path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now(), clientCN})
      const queue = routes.get(`${method} ${url.pathname}`)
      const fault = queue && queue.length > 1 ? queue.shift()! : queue?.[0]
      answer(fault ?? {status: 404, body: {error: [`fault server: no answer scripted for ${method} ${url.pathname}`]}}, res)
    })
  }

  // Asks for the client certificate without judging it, so tests can see that one was sent.
  const tlsOptions = opts.tls && {cert: opts.tls.cert, key: opts.tls.key, requestCert: true, rejectUnauthorized: false}
  const server = tlsOptions ? createHttpsServer(tlsOptions, handler) : createHttpServer(handler)
  let connections = 0
  server.on('connection', (socket: Socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  const port = await listen(server)
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    on(method, path, ...faults) {
      routes.set(`${method.toUpperCase()} ${path}`, faults)
    },
    count(method, path) {
      return requests.filter((r) => r.method === method.toUpperCase() && (path === undefined || r.path === path)).length
    },
    connections: () => connections,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
      })
    },
  }
}

/** Accepts TCP connections and never says anything: a TLS handshake with it never completes. */
export async function startSilentServer(): Promise<{url: string; connections: () => number; close(): Promise<void>}> {
  const sockets = new Set<Socket>()
  let connections = 0
  const server = createNetServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
  })
  const port = await listen(server)
  return {
    url: `https://127.0.0.1:${port}`,
    connections: () => connections,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
      })
    },
  }
}
