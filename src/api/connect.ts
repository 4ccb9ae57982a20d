import {Agent as HttpAgent, type ClientRequestArgs} from 'node:http'
import {Agent as HttpsAgent, type AgentOptions, type RequestOptions} from 'node:https'
import {Socket} from 'node:net'
import type {Duplex} from 'node:stream'

// A connect timeout separate from the request timeout: log streams run without a request timeout (they
// may be followed for hours), and without this a gateway that silently drops packets would hang them
// forever. "Connected" means the TCP connection is up and, for https, the TLS handshake is done.

/** The error code of a connection that was not established in time; the request was never sent. */
export const CONNECT_TIMEOUT = 'ETOOLFORGE_CONNECT_TIMEOUT'
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10

export interface ConnectTimeoutError extends Error {
  code: typeof CONNECT_TIMEOUT
  timeoutMs: number
}

export function isConnectTimeout(error: unknown): error is ConnectTimeoutError {
  return (error as {code?: unknown} | undefined)?.code === CONNECT_TIMEOUT
}

/** TOOLFORGE_CONNECT_TIMEOUT in seconds (fractions allowed); 0 turns the connect timeout off. */
export function connectTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.TOOLFORGE_CONNECT_TIMEOUT
  if (raw === undefined || raw.trim() === '') return undefined
  const seconds = Number(raw)
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined
}

function arm(socket: Duplex | null | undefined, timeoutMs: number, secure: boolean): void {
  if (!(socket instanceof Socket) || timeoutMs <= 0) return
  const timer = setTimeout(() => {
    const error = Object.assign(new Error(`connect timeout after ${timeoutMs} ms`), {code: CONNECT_TIMEOUT, timeoutMs})
    socket.destroy(error)
  }, timeoutMs)
  const clear = () => clearTimeout(timer)
  socket.once(secure ? 'secureConnect' : 'connect', clear)
  socket.once('close', clear)
}

class TimedHttpAgent extends HttpAgent {
  constructor(private readonly connectTimeoutMs: number) {
    super({keepAlive: false})
  }

  override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const socket = super.createConnection(options, callback)
    arm(socket, this.connectTimeoutMs, false)
    return socket
  }
}

class TimedHttpsAgent extends HttpsAgent {
  constructor(
    options: AgentOptions,
    private readonly connectTimeoutMs: number,
  ) {
    super(options)
  }

  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const socket = super.createConnection(options, callback)
    arm(socket, this.connectTimeoutMs, true)
    return socket
  }
}

export function createAgents(tls: AgentOptions, connectTimeoutSeconds: number): {httpAgent: HttpAgent; httpsAgent: HttpsAgent} {
  const ms = Math.max(0, Math.round(connectTimeoutSeconds * 1000))
  return {httpAgent: new TimedHttpAgent(ms), httpsAgent: new TimedHttpsAgent({...tls, keepAlive: false}, ms)}
}
