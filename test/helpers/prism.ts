import {type ChildProcess, spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {request as httpRequest, type IncomingHttpHeaders} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {fileURLToPath} from 'node:url'
import {parse, stringify} from 'yaml'

import {freePort} from '../../src/sandbox/proxy.js'
import {type RecordedRequest, type RecordingServer, startRecordingServer} from './subprocess.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const OPENAPI_DIR = join(ROOT, '..', 'shared', 'openapi')

const PRISM_ERROR = 'https://stoplight.io/prism/errors#'
// Prism errors about generating the mock's answer, not about the request: every other
// "Request terminated with error" counts as a request mismatch, so an unknown kind fails closed.
const RESPONSE_SIDE_ERRORS = new Set(['NO_COMPLEX_OBJECT_TEXT'])

/** One request as the CLI sent it, and what came back. */
export interface PrismExchange {
  method: string
  /** Path and query string. */
  url: string
  body: string
  /** Prism's own status, before any scripted answer replaced it. */
  prismStatus: number
  /** The status the client received. */
  status: number
  prefer?: string
  /** Request mismatches found in this exchange (sl-violations header, Prism error answers). */
  violations: string[]
}

export interface ScriptedAnswer {
  status: number
  body: unknown
  contentType?: string
}

/**
 * How the front answers, for flows Prism's fixed examples cannot drive (a 404 before a create, a
 * streamed log). Prism still validates every request; a scripted answer only replaces Prism's answer
 * to a request Prism accepted, so it can never hide a violation.
 */
export interface PrismScript {
  /** `Prefer` header for this request, e.g. `code=404` (must be a status the operation declares). */
  prefer?(request: RecordedRequest): string | undefined
  respond?(request: RecordedRequest): ScriptedAnswer | undefined
}

export interface PrismServer {
  /** Base URL of the front the client talks to; every request is forwarded to Prism. */
  url: string
  /**
   * Request mismatches since the last call: from the exchanges and from Prism's log. Waits until the
   * log is quiet so a late log line is not blamed on the next case.
   */
  takeRequestViolations(): Promise<string[]>
  /** Exchanges since the last call. */
  takeExchanges(): PrismExchange[]
  /** Replaces the script (undefined: Prism answers everything itself). */
  setScript(script?: PrismScript): void
  stop(): Promise<void>
}


/**
 * The specs declare the gateway-added X-Toolforge-Tool header as their security scheme; the CLI never
 * sends it (the gateway adds it), so Prism is given a copy without the security requirement.
 */
function specWithoutSecurity(specFile: string, dir: string): string {
  const spec = parse(readFileSync(specFile, 'utf8')) as Record<string, unknown>
  delete spec.security
  for (const item of Object.values((spec.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const operation of Object.values(item)) {
      if (operation && typeof operation === 'object') delete (operation as Record<string, unknown>).security
    }
  }

  const out = join(dir, 'spec.yaml')
  writeFileSync(out, stringify(spec))
  return out
}

interface Forwarded {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

function forward(port: number, request: RecordedRequest, prefer: string | undefined): Promise<Forwarded> {
  const headers: Record<string, string | string[] | undefined> = {...request.headers, host: `127.0.0.1:${port}`}
  if (prefer) headers.prefer = prefer
  return new Promise((resolve, reject) => {
    const req = httpRequest({host: '127.0.0.1', port, method: request.method, path: request.url, headers}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks)}))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(request.body)
  })
}

function prismErrorType(answer: Forwarded): string | undefined {
  try {
    const type = (JSON.parse(answer.body.toString('utf8')) as {type?: unknown}).type
    return typeof type === 'string' && type.startsWith(PRISM_ERROR) ? type.slice(PRISM_ERROR.length) : undefined
  } catch {
    return undefined
  }
}

/** The request half of Prism's verdict on one exchange. */
function exchangeViolations(request: RecordedRequest, answer: Forwarded, prefer: string | undefined): string[] {
  const where = `${request.method} ${request.url}`
  const found: string[] = []
  const header = answer.headers['sl-violations']
  if (typeof header === 'string') {
    let entries: {location?: string[]; message?: string}[]
    try {
      entries = JSON.parse(header) as typeof entries
    } catch {
      // Unreadable means unchecked: fail rather than pass silently.
      entries = [{location: ['request'], message: `unreadable sl-violations header: ${header}`}]
    }

    for (const v of entries) {
      if (v.location?.[0] === 'request') found.push(`${where}: ${v.location.join('.')}: ${v.message ?? ''}`)
    }
  }

  const errorType = prismErrorType(answer)
  const preferred = prefer === `code=${answer.status}`
  // Prism's mock answers a matching request with a 2xx unless asked otherwise: any other 4xx means the
  // request did not fit (no path or method, invalid body or parameters, unacceptable Accept header).
  if (answer.status >= 400 && answer.status < 500 && (!preferred || errorType)) {
    found.push(`${where}: Prism answered ${answer.status}${errorType ? ` ${errorType}` : ''}`)
  }

  return found
}

/** Prism log lines that report a request mismatch; exported for the harness self-check. */
export function logViolations(lines: string[]): string[] {
  return lines.filter((line) => {
    if (/Violation: request/.test(line)) return true
    const terminated = /Request terminated with error: \S*#(\w+)/.exec(line)
    return terminated !== null && !RESPONSE_SIDE_ERRORS.has(terminated[1])
  })
}

export async function startPrism(specName: string): Promise<PrismServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tf-prism-'))
  const spec = specWithoutSecurity(join(OPENAPI_DIR, specName), dir)
  const port = await freePort()
  const child: ChildProcess = spawn(join(ROOT, 'node_modules/.bin/prism'), ['mock', spec, '-h', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {...process.env, FORCE_COLOR: '0', NO_COLOR: '1'},
  })
  let log = ''
  let logCursor = 0
  let lastLogAt = Date.now()
  const collect = (chunk: Buffer) => {
    log += chunk.toString()
    lastLogAt = Date.now()
  }

  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)

  const cleanUp = () => {
    if (child.exitCode === null) child.kill('SIGTERM')
    rmSync(dir, {recursive: true, force: true})
  }

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Prism did not start within 30 s:\n${log}`)), 30_000)
      child.stdout?.on('data', () => {
        if (!log.includes('Prism is listening')) return
        clearTimeout(timer)
        resolve()
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`Prism exited with ${code}:\n${log}`))
      })
    })
  } catch (error) {
    cleanUp()
    throw error
  }

  const exchanges: PrismExchange[] = []
  let exchangeCursor = 0
  let violationCursor = 0
  let script: PrismScript | undefined
  let front: RecordingServer
  try {
    front = await startRecordingServer((request, res) => {
      const record = (exchange: Omit<PrismExchange, 'method' | 'url' | 'body'>) =>
        exchanges.push({method: request.method, url: request.url, body: request.body.toString('utf8'), ...exchange})
      void (async () => {
        let prefer: string | undefined
        let answer: Forwarded
        try {
          prefer = script?.prefer?.(request)
          answer = await forward(port, request, prefer)
        } catch (error) {
          // Prism gone, or a broken test script: the client gets an error and the case fails.
          record({prismStatus: 0, status: 502, prefer, violations: [`${request.method} ${request.url}: not forwarded (${(error as Error).message})`]})
          res.writeHead(502, {'content-type': 'text/plain'})
          res.end((error as Error).message)
          return
        }

        const violations = exchangeViolations(request, answer, prefer)
        let scripted: ScriptedAnswer | undefined
        try {
          scripted = violations.length === 0 ? script?.respond?.(request) : undefined
        } catch (error) {
          violations.push(`${request.method} ${request.url}: test script failed (${(error as Error).message})`)
        }

        record({prismStatus: answer.status, status: scripted?.status ?? answer.status, prefer, violations})
        if (scripted) {
          const text = typeof scripted.body === 'string' ? scripted.body : JSON.stringify(scripted.body)
          res.writeHead(scripted.status, {'content-type': scripted.contentType ?? 'application/json'})
          res.end(text)
          return
        }

        const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding'])
        res.writeHead(answer.status, Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !hopByHop.has(name))))
        res.end(answer.body)
      })()
    })
  } catch (error) {
    cleanUp()
    throw error
  }

  return {
    url: front.url,
    async takeRequestViolations() {
      const deadline = Date.now() + 2000
      while (Date.now() - lastLogAt < 150 && Date.now() < deadline) await sleep(25)
      const fresh = log.slice(logCursor)
      logCursor = log.length
      const fromExchanges = exchanges.slice(violationCursor).flatMap((e) => e.violations)
      violationCursor = exchanges.length
      // The log is the backstop for anything the exchanges did not show; when they did, it only repeats them.
      if (fromExchanges.length > 0) return fromExchanges
      return logViolations(fresh.split('\n')).map((line) => `prism log: ${line.trim()}`)
    },
    takeExchanges() {
      const fresh = exchanges.slice(exchangeCursor)
      exchangeCursor = exchanges.length
      return fresh
    },
    setScript(next) {
      script = next
    },
    async stop() {
      await front.close()
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }

      rmSync(dir, {recursive: true, force: true})
    },
  }
}
