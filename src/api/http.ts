import type {AxiosError, AxiosInstance, AxiosRequestConfig, AxiosResponse} from 'axios'
import type {Readable} from 'node:stream'

import {ServerError, UserError} from './errors.js'
import type {ResponseMessages} from './jobs-types.js'

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
  /** Request/response bodies of this API hold secrets (envvars): never trace them. */
  redactBodies?: boolean
  /** How many times an idempotent request is retried on 502/503/504 or a dropped connection. */
  retries?: number
  /** First back-off step in milliseconds; doubles each retry, plus jitter. */
  retryBaseMs?: number
  /** Service name used in "seems to be down" messages, e.g. "jobs". */
  service: string
}

export interface RequestOptions {
  params?: Record<string, string | number | boolean | undefined>
  body?: unknown
  /** Seconds; 0 disables the timeout (log streaming). */
  timeoutSeconds?: number
}

const IDEMPOTENT = new Set(['get', 'head', 'put', 'delete', 'patch', 'options'])
const RETRY_STATUSES = new Set([502, 503, 504])
// A read timeout (ECONNABORTED) is not retried: it would multiply the time the user waits.
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN'])

/** `{"error": [...]}` (jobs/builds/envvars), FastAPI `{"detail": ...}`, legacy `{"message": ...}`, a bare JSON string. */
export function extractErrorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    const text = body.trim()
    if (text === '') return undefined
    if (text.startsWith('{') || text.startsWith('"') || text.startsWith('[')) {
      try {
        return extractErrorMessage(JSON.parse(text) as unknown) ?? undefined
      } catch {
        // Truncated JSON: fall through to the raw text check below.
      }
    }

    // An HTML page from a proxy says nothing useful and floods the terminal.
    if (/^<(!doctype|html)/i.test(text)) return undefined
    return text.length > 500 ? `${text.slice(0, 500)}…` : text
  }

  if (!body || typeof body !== 'object') return undefined
  const record = body as Record<string, unknown>
  if (Array.isArray(record.error) && record.error.length > 0) return record.error.map(String).join('\n')
  if (typeof record.error === 'string') return record.error
  if (typeof record.detail === 'string') return record.detail
  if (Array.isArray(record.detail)) {
    return record.detail
      .map((d) => {
        if (!d || typeof d !== 'object') return String(d)
        const {loc, msg} = d as {loc?: unknown[]; msg?: string}
        return Array.isArray(loc) ? `${loc.join('.')}: ${msg ?? ''}` : String(msg ?? JSON.stringify(d))
      })
      .join('\n')
  }

  if (typeof record.message === 'string') return record.message
  return undefined
}

function describeUrl(config?: AxiosRequestConfig): string {
  if (!config) return 'the API'
  const base = (config.baseURL ?? '').replace(/\/+$/, '')
  return `${base}${config.url ?? ''}`
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
    const response = await this.send(instance, {method, url: path, params: opts.params, data: opts.body, timeout: this.timeout(opts)})
    const data = this.parseJson(response)
    if (data && typeof data === 'object' && 'messages' in data) {
      const messages = (data as {messages?: ResponseMessages}).messages
      if (messages && typeof messages === 'object') this.options.onMessages?.(messages)
    }

    return data as T
  }

  /** A streamed GET (NDJSON logs). The caller consumes and destroys the stream. */
  async stream(path: string, opts: RequestOptions = {}): Promise<Readable> {
    const instance = await this.instance()
    const response = await this.send(instance, {
      method: 'get',
      url: path,
      params: opts.params,
      responseType: 'stream',
      timeout: this.timeout(opts),
    })
    return response.data as Readable
  }

  private timeout(opts: RequestOptions): number {
    const seconds = opts.timeoutSeconds ?? this.options.timeoutSeconds
    return Math.max(0, Math.round(seconds * 1000))
  }

  private parseJson(response: AxiosResponse): unknown {
    const {data} = response
    if (typeof data !== 'string') return data
    if (data.trim() === '') return {}
    try {
      return JSON.parse(data) as unknown
    } catch {
      throw new ServerError(`Invalid response from ${describeUrl(response.config)} (HTTP ${response.status}): not JSON`, {
        status: response.status,
      })
    }
  }

  private async send(instance: AxiosInstance, config: AxiosRequestConfig): Promise<AxiosResponse> {
    const started = Date.now()
    const {debug} = this.options
    const method = (config.method ?? 'get').toUpperCase()
    debug?.(`${method} ${describeUrl({...config, baseURL: this.options.baseUrl})}${config.params ? ` params=${JSON.stringify(config.params)}` : ''}`)
    if (debug && config.data !== undefined) debug(`request body: ${this.options.redactBodies ? '<redacted>' : JSON.stringify(config.data)}`)
    try {
      const response = await instance.request(config)
      debug?.(`${method} ${response.status} in ${Date.now() - started} ms`)
      if (debug && config.responseType !== 'stream') {
        debug(`response body: ${this.options.redactBodies ? '<redacted>' : typeof response.data === 'string' ? response.data.slice(0, 2000) : ''}`)
      }

      return response
    } catch (error) {
      const axiosError = error as AxiosError
      // A streamed request's error body is still a stream; read it so the API's message reaches the user.
      if (axiosError.response && isReadable(axiosError.response.data)) axiosError.response.data = await readBody(axiosError.response.data)
      throw this.mapError(axiosError, started)
    }
  }

  private mapError(error: AxiosError, started: number): Error {
    const {debug, service} = this.options
    const url = describeUrl(error.config)
    const response = error.response
    if (response) {
      debug?.(`${(error.config?.method ?? '').toUpperCase()} ${response.status} in ${Date.now() - started} ms`)
      const message = extractErrorMessage(response.data) ?? `HTTP ${response.status} ${response.statusText || ''}`.trim() + ` from ${url}`
      if (response.status >= 400 && response.status < 500) return new UserError(message, {status: response.status})
      if (response.status === 502 || response.status === 503) {
        return new ServerError(`The ${service} service seems to be down – please retry in a few minutes. (${message})`, {status: response.status})
      }

      return new ServerError(message, {status: response.status})
    }

    const code = error.code ?? ''
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(error.message)) {
      const seconds = (error.config?.timeout ?? 0) / 1000
      return new ServerError(`Request to ${url} timed out after ${seconds} s`, {cause: error})
    }

    if (code === 'ERR_CANCELED') return error
    const reason = code ? `${code}: ${error.message}` : error.message
    return new ServerError(`Unable to reach the ${service} service at ${url} (${reason})`, {cause: error})
  }

  private instance(): Promise<AxiosInstance> {
    this.axios ??= this.createInstance()
    return this.axios
  }

  private async createInstance(): Promise<AxiosInstance> {
    const [{default: axios}, {default: axiosRetry, exponentialDelay}, https] = await Promise.all([
      import('axios'),
      import('axios-retry'),
      import('node:https'),
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
      httpsAgent: new https.Agent({
        cert: options.cert,
        key: options.key,
        ca: options.ca,
        rejectUnauthorized: options.ca !== undefined,
        keepAlive: false,
      }),
    })
    axiosRetry(instance, {
      retries: options.retries ?? 3,
      retryDelay: (count, error) => exponentialDelay(count, error, options.retryBaseMs ?? 200),
      retryCondition: (error) => {
        const method = error.config?.method?.toLowerCase() ?? ''
        if (!IDEMPOTENT.has(method) || error.config?.responseType === 'stream') return false
        if (error.response) return RETRY_STATUSES.has(error.response.status)
        return RETRY_CODES.has(error.code ?? '')
      },
      onRetry: (count, error) => options.debug?.(`retry ${count} after ${error.code ?? error.response?.status}`),
    })
    return instance
  }
}
