import type {AxiosError, AxiosInstance, AxiosRequestConfig, AxiosResponse} from 'axios'
import type {Readable} from 'node:stream'

import {ServerError} from './errors.js'
import {describeUrl, errorBodyMessages, mapHttpError} from './http-errors.js'
import {withIdleTimeout} from './idle.js'
import type {ResponseMessages} from './jobs-types.js'
import {credentialSecrets, redact, secretValues, traceBody} from './redact.js'
import {retryDelayMs, shouldRetry} from './retry.js'
import {isBodyCut, mapTransportError, MAX_RESPONSE_BYTES} from './transport-errors.js'

// Kept importable from here: this module is the HTTP core's public face.
export {extractErrorMessage} from './http-errors.js'

export interface HttpClientOptions {
  /** Full base URL including the API prefix and tool, e.g. https://gw:30003/jobs/v1/tool/mytool */
  baseUrl: string
  userAgent: string
  timeoutSeconds: number
  cert?: Buffer
  key?: Buffer
  token?: string
  /** When set the server certificate is verified against it; otherwise it is not (upstream default, Q-AUTH-01). */
  ca?: Buffer
  /** Called with every response's `messages` envelope so the caller decides where they go. */
  onMessages?: (messages: ResponseMessages) => void
  /** --debug trace sink; never receives secrets. */
  debug?: (line: string) => void
  /**
   * Request/response bodies of this API hold secrets (envvars): never trace them. Other bodies are
   * traced with the values of their `envvars` maps (build-time envvars) hidden.
   */
  redactBodies?: boolean
  /** Where `ca` comes from, named when it rejects the server's certificate; default api_gateway.ca_file. */
  caSource?: string
  /** How many times an idempotent request is retried on 502/503/504 or a dropped connection. */
  retries?: number
  /** First back-off step in milliseconds; doubles each retry, plus jitter. */
  retryBaseMs?: number
  /**
   * Seconds allowed for the TCP connection and TLS handshake, also on streams that have no request
   * timeout; 0 turns it off. Default: TOOLFORGE_CONNECT_TIMEOUT, else 10.
   */
  connectTimeoutSeconds?: number
  /** Service name used in "seems to be down" messages, e.g. "jobs". */
  service: string
  /** The largest answer read into memory; default MAX_RESPONSE_BYTES. Streams have no such limit. */
  maxResponseBytes?: number
}

export interface RequestOptions {
  params?: Record<string, string | number | boolean | undefined>
  body?: unknown
  /**
   * Seconds; 0 disables the timeout (following logs). The longest wait for the answer to begin, then for
   * each next part of it: axios's own timeout covers a buffered answer, withIdleTimeout a stream's body.
   */
  timeoutSeconds?: number
  /** Ends the request (and any retry) when aborted: a caller with a deadline of its own. */
  signal?: AbortSignal
}

function isReadable(value: unknown): value is Readable {
  return typeof (value as Readable | undefined)?.pipe === 'function'
}

/** At most `limit` bytes of an error body: enough for any message, bounded against a misbehaving proxy. */
async function readBody(stream: Readable, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
      chunks.push(buffer)
      size += buffer.length
      if (size >= limit) break
    }
  } catch {
    // A body cut off mid-way still carries whatever message arrived.
  } finally {
    stream.destroy()
  }

  return Buffer.concat(chunks).subarray(0, limit).toString('utf8')
}

export class HttpClient {
  private axios?: Promise<AxiosInstance>

  constructor(readonly options: HttpClientOptions) {}

  get<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('get', path, opts)
  }

  post<T>(path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('post', path, {...opts, body})
  }

  patch<T>(path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('patch', path, {...opts, body})
  }

  delete<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('delete', path, opts)
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const instance = await this.instance()
    const response = await this.send(instance, {method, url: path, params: opts.params, data: opts.body, timeout: this.timeout(opts), signal: opts.signal})
    const data = this.parseJson(response)
    if ('messages' in data) {
      const messages = (data as {messages?: ResponseMessages}).messages
      if (messages && typeof messages === 'object' && !Array.isArray(messages)) this.options.onMessages?.(this.scrub(messages, opts.body))
    }

    return data as T
  }

  /** A streamed GET (NDJSON logs). The caller consumes and destroys the stream. */
  async stream(path: string, opts: RequestOptions = {}): Promise<Readable> {
    const instance = await this.instance()
    const idleMs = this.timeout(opts)
    const response = await this.send(instance, {
      method: 'get',
      url: path,
      params: opts.params,
      responseType: 'stream',
      // Until the headers; withIdleTimeout takes over from there.
      timeout: idleMs,
      signal: opts.signal,
      // Read line by line, never held whole: its size is no concern (a follow may run for hours).
      maxContentLength: -1,
      // The log endpoints answer text/plain (NDJSON) and their errors JSON: `Accept: application/json`
      // alone asks for a representation they do not have, and a negotiating server answers 406.
      headers: {Accept: 'text/plain, application/json'},
    })
    const url = describeUrl(response.config)
    return withIdleTimeout(response.data as Readable, idleMs, () => new ServerError(`Request to ${url} timed out: nothing received for ${idleMs / 1000} s`))
  }

  /** What must not show in a message or trace of this request: envvar values it sends, the token. */
  private secrets(body: unknown): string[] {
    return [...secretValues(body), ...credentialSecrets(this.options.token)]
  }

  /** A message that quotes a secret of the request is shown without it, as errors are. */
  private scrub(messages: ResponseMessages, body: unknown): ResponseMessages {
    const secrets = this.secrets(body)
    if (secrets.length === 0) return messages
    const clean = (lines?: unknown) => (Array.isArray(lines) ? lines.map((line) => redact(String(line), secrets)) : undefined)
    return {info: clean(messages.info), warning: clean(messages.warning), error: clean(messages.error)}
  }

  private timeout(opts: RequestOptions): number {
    const seconds = opts.timeoutSeconds ?? this.options.timeoutSeconds
    return Math.max(0, Math.round(seconds * 1000))
  }

  /** Every API answers a JSON object (or nothing); anything else came from something in between. */
  private parseJson(response: AxiosResponse): object {
    const {data} = response
    const invalid = (what: string) =>
      new ServerError(`Invalid response from ${describeUrl(response.config)} (HTTP ${response.status}): ${what}`, {status: response.status})
    if (typeof data !== 'string') throw invalid('not JSON')
    const text = data.trim()
    if (text === '') return {}
    let parsed: unknown
    try {
      parsed = JSON.parse(text) as unknown
    } catch {
      throw invalid(/^<(!doctype|html)/i.test(text) ? 'an HTML page instead of JSON' : 'not JSON')
    }

    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('not a JSON object')
    return parsed
  }

  private async send(instance: AxiosInstance, config: AxiosRequestConfig): Promise<AxiosResponse> {
    const started = Date.now()
    const {debug, redactBodies} = this.options
    const secrets = this.secrets(config.data)
    const method = (config.method ?? 'get').toUpperCase()
    debug?.(`${method} ${describeUrl({...config, baseURL: this.options.baseUrl})}${config.params ? ` params=${JSON.stringify(config.params)}` : ''}`)
    if (debug && config.data !== undefined) debug(`request body: ${traceBody(config.data, {redactAll: redactBodies, secrets})}`)
    try {
      const response = await instance.request(config)
      debug?.(`${method} ${response.status} in ${Date.now() - started} ms`)
      if (debug && config.responseType !== 'stream') {
        debug(`response body: ${typeof response.data === 'string' ? traceBody(response.data, {redactAll: redactBodies, secrets, limit: 2000}) : ''}`)
      }

      return response
    } catch (error) {
      const axiosError = error as AxiosError
      // A streamed request's error body is still a stream; read it so the API's message reaches the user.
      // Bounded in time too: a server may send an error's headers and then nothing (a follow has no timeout of its own).
      if (axiosError.response && isReadable(axiosError.response.data)) {
        const idleMs = config.timeout || this.timeout({})
        axiosError.response.data = await readBody(withIdleTimeout(axiosError.response.data, idleMs, () => new Error('no data')))
      }
      if (axiosError.response) debug?.(`${method} ${axiosError.response.status} in ${Date.now() - started} ms${isBodyCut(axiosError) ? `, then ${axiosError.code ?? axiosError.message}` : ''}`)
      else debug?.(`${method} failed after ${Date.now() - started} ms: ${axiosError.code ?? axiosError.message}`)
      const {service, caSource, ca, maxResponseBytes} = this.options
      const mapped =
        mapTransportError(axiosError, {service, url: describeUrl(axiosError.config), maxBytes: maxResponseBytes}) ??
        mapHttpError(axiosError, {service, timeoutMs: config.timeout ?? 0, secrets, caSource, ca})
      // Warnings and notes that came with the error are the user's to see, as with a success (config-auth.md §7).
      const messages = axiosError.response ? errorBodyMessages(axiosError.response.data) : undefined
      if (messages) this.options.onMessages?.(this.scrub(messages, config.data))
      throw mapped
    }
  }

  private instance(): Promise<AxiosInstance> {
    this.axios ??= this.createInstance()
    return this.axios
  }

  private async createInstance(): Promise<AxiosInstance> {
    const [{default: axios}, {default: axiosRetry, retryAfter}, {createAgents, connectTimeoutFromEnv, DEFAULT_CONNECT_TIMEOUT_SECONDS}] = await Promise.all([
      import('axios'),
      import('axios-retry'),
      import('./connect.js'),
    ])
    const {options} = this
    const headers: Record<string, string> = {'User-Agent': options.userAgent, Accept: 'application/json'}
    if (options.token) headers.Authorization = `Bearer ${options.token}`
    const instance = axios.create({
      baseURL: options.baseUrl,
      headers,
      // We parse ourselves so a truncated body becomes a clear error rather than a silent string.
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
      proxy: false,
      validateStatus: (status) => status >= 200 && status < 300,
      // A runaway answer (a proxy streaming a file, a broken server) ends with a clear error, not with memory exhausted.
      maxContentLength: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
      ...createAgents(
        {cert: options.cert, key: options.key, ca: options.ca, rejectUnauthorized: options.ca !== undefined},
        options.connectTimeoutSeconds ?? connectTimeoutFromEnv() ?? DEFAULT_CONNECT_TIMEOUT_SECONDS,
      ),
    })
    axiosRetry(instance, {
      retries: options.retries ?? 3,
      retryDelay: (count, error) => retryDelayMs(count, options.retryBaseMs ?? 200, retryAfter(error)),
      retryCondition: shouldRetry,
      onRetry: (count, error) => options.debug?.(`retry ${count} after ${error.code ?? error.response?.status}`),
    })
    return instance
  }
}
