// The Kubernetes attach/exec streaming protocol over a websocket (`v5.channel.k8s.io`, falling back to
// `v4.channel.k8s.io`): every binary frame starts with a channel byte — 0 stdin, 1 stdout, 2 stderr,
// 3 error (a `Status` object, carrying the exit code for exec), 4 terminal resize; v5 adds 255 "close
// channel", which is how the remote side learns that our stdin ended.

import type {Readable, Writable} from 'node:stream'
import type {ClientOptions, RawData} from 'ws'

import {InterruptedError, ServerError, UserError} from '../api/errors.js'
import {extractErrorMessage} from '../api/http.js'
import {credentialSecrets} from '../api/redact.js'

export const CHANNEL = {stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255} as const
export const PROTOCOL_V5 = 'v5.channel.k8s.io'
export const PROTOCOL_V4 = 'v4.channel.k8s.io'

export interface AttachStreams {
  stdin?: Readable
  stdout: Writable
  stderr: Writable
  /** Terminal size to announce, for a tty session. */
  size?: () => {cols: number; rows: number}
  /** Subscribe to terminal size changes; returns the unsubscribe function. */
  onResize?: (listener: () => void) => () => void
  signal?: AbortSignal
}

export interface AttachResult {
  /** From the error channel's Status; undefined when the server did not say (attach usually does not). */
  exitCode?: number
  /** A failure Status message that is not an exit code. */
  message?: string
}

interface StatusLike {
  status?: string
  message?: string
  reason?: string
  details?: {causes?: Array<{reason?: string; message?: string}>}
}

export function resultFromStatus(status: StatusLike): AttachResult {
  if (status.status === 'Success') return {exitCode: 0}
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode')
  if (status.reason === 'NonZeroExitCode' && cause?.message !== undefined && /^\d+$/.test(cause.message)) {
    return {exitCode: Number(cause.message)}
  }
  return {message: status.message ?? 'the attach stream failed'}
}

function frame(channel: number, data: Buffer | string): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data) : data
  return Buffer.concat([Buffer.from([channel]), payload])
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}

/** Connect, relay the streams until the server closes the socket, and report what the error channel said. */
/** The credential of the Authorization header sent: an API server's error page may quote it back. */
function authorizationSecrets(options: ClientOptions): string[] {
  const header = (options.headers as Record<string, unknown> | undefined)?.Authorization
  return typeof header === 'string' ? credentialSecrets(header.replace(/^Bearer\s+/i, '')) : []
}

export async function attachStream(url: string, options: ClientOptions, streams: AttachStreams): Promise<AttachResult> {
  const {default: WebSocket} = await import('ws')
  return new Promise<AttachResult>((resolve, reject) => {
    const ws = new WebSocket(url, [PROTOCOL_V5, PROTOCOL_V4], options)
    const {stdin, stdout, stderr} = streams
    let errorText = ''
    let settled = false
    let unsubscribeResize: (() => void) | undefined

    const onStdin = (chunk: Buffer | string) => ws.send(frame(CHANNEL.stdin, chunk))
    const onStdinEnd = () => {
      // v4 has no way to say "end of input"; the remote process then only ends on its own.
      if (ws.protocol === PROTOCOL_V5 && ws.readyState === WebSocket.OPEN) ws.send(Buffer.from([CHANNEL.close, CHANNEL.stdin]))
    }
    const onAbort = () => {
      ws.terminate()
      finish(new InterruptedError())
    }
    const sendSize = () => {
      const size = streams.size?.()
      if (size && ws.readyState === WebSocket.OPEN) ws.send(frame(CHANNEL.resize, JSON.stringify({Width: size.cols, Height: size.rows})))
    }

    function finish(error?: Error, result?: AttachResult): void {
      if (settled) return
      settled = true
      stdin?.off('data', onStdin)
      stdin?.off('end', onStdinEnd)
      stdin?.pause()
      unsubscribeResize?.()
      streams.signal?.removeEventListener('abort', onAbort)
      if (error) reject(error)
      else resolve(result ?? {})
    }

    if (streams.signal?.aborted) return onAbort()
    streams.signal?.addEventListener('abort', onAbort)

    ws.on('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        const status = response.statusCode ?? 0
        const message = extractErrorMessage(Buffer.concat(chunks).toString('utf8'), authorizationSecrets(options)) ?? `HTTP ${status} from the attach endpoint`
        finish(status >= 400 && status < 500 ? new UserError(message, {status}) : new ServerError(message, {status}))
        ws.terminate()
      })
      response.on('error', (error) => finish(new ServerError(`Unable to attach: ${error.message}`, {cause: error})))
    })

    ws.on('open', () => {
      sendSize()
      if (streams.onResize) unsubscribeResize = streams.onResize(sendSize)
      if (stdin) {
        stdin.on('data', onStdin)
        stdin.on('end', onStdinEnd)
        stdin.resume()
      }
    })

    ws.on('message', (data: RawData) => {
      const buffer = toBuffer(data)
      if (buffer.length === 0) return
      const payload = buffer.subarray(1)
      switch (buffer[0]) {
        case CHANNEL.stdout: {
          if (payload.length > 0) stdout.write(payload)
          break
        }
        case CHANNEL.stderr: {
          if (payload.length > 0) stderr.write(payload)
          break
        }
        case CHANNEL.error: {
          errorText += payload.toString('utf8')
          break
        }
        default:
      }
    })

    ws.on('close', () => {
      if (errorText.trim() === '') return finish(undefined, {})
      let status: StatusLike
      try {
        status = JSON.parse(errorText) as StatusLike
      } catch {
        // Older servers wrote a plain message rather than a Status object.
        return finish(undefined, {message: errorText.trim()})
      }
      finish(undefined, resultFromStatus(status))
    })

    ws.on('error', (error: Error) => {
      finish(new ServerError(`Unable to attach to the shell: ${error.message}`, {cause: error}))
    })
  })
}
