import {spawn} from 'node:child_process'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {once} from 'node:events'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

// The one place that says which CLI the subprocess tests run: the BUILT CLI, as users run it
// (`npm test` builds first). In-process tests cover the sources; these cover what ships.
export const CLI_BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
export const CLI_NODE_ARGS: string[] = []

let buildChecked = false

/** A build older than the sources would make these tests pass or fail for the wrong code. */
function assertBuildCurrent(): void {
  if (buildChecked) return
  const built = join(ROOT, 'dist', 'oclif.js')
  if (!existsSync(built)) throw new Error('the CLI is not built: run `npm run build` (npm test does) before the subprocess tests')
  const builtAt = statSync(built).mtimeMs
  const src = join(ROOT, 'src')
  const newer = (readdirSync(src, {recursive: true}) as string[]).find((file) => statSync(join(src, file)).mtimeMs > builtAt)
  if (newer) throw new Error(`src/${newer} is newer than the build: run \`npm run build\` before the subprocess tests`)
  buildChecked = true
}

export interface CliResult {
  stdout: string
  stderr: string
  exitCode: number | null
}

export interface CliOptions {
  /** The whole environment of the child (plus PATH): nothing leaks in from the test runner. */
  env: Record<string, string>
  /** Bytes written to the child's stdin, then closed; without it stdin is /dev/null. */
  stdin?: Buffer | string
  timeoutMs?: number
  /** Sends SIGINT (Ctrl-C) once stdout or stderr contains this text. */
  interruptWhen?: string
  /** Another entry point of the build (e.g. bin/webservice); default bin/run.js. */
  bin?: string
  /** Working directory; default the checkout (tests that prove the CLI does not depend on it pass another). */
  cwd?: string
}

/** Runs the CLI in its own process, as a user or a script would. */
export async function runCli(args: string[], opts: CliOptions): Promise<CliResult> {
  assertBuildCurrent()
  const child = spawn(process.execPath, [...CLI_NODE_ARGS, opts.bin ?? CLI_BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: {PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1', ...opts.env},
    stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  })
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  let interrupted = false
  const watch = (into: Buffer[]) => (chunk: Buffer) => {
    into.push(chunk)
    if (opts.interruptWhen === undefined || interrupted) return
    if (Buffer.concat([...stdout, ...stderr]).toString('utf8').includes(opts.interruptWhen)) {
      interrupted = true
      child.kill('SIGINT')
    }
  }

  child.stdout?.on('data', watch(stdout))
  child.stderr?.on('data', watch(stderr))
  if (opts.stdin !== undefined && child.stdin) {
    // The child may exit before reading (e.g. a usage error); that is not the test's failure.
    child.stdin.on('error', () => {})
    child.stdin.end(opts.stdin)
  }

  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000)
  try {
    const [code] = (await once(child, 'close')) as [number | null]
    return {stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), exitCode: code}
  } finally {
    clearTimeout(timer)
  }
}

export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  /** The body exactly as received. */
  body: Buffer
}

export interface RecordingServer {
  url: string
  requests: RecordedRequest[]
  close(): Promise<void>
}

export type Handler = (request: RecordedRequest, res: ServerResponse) => void

/** A loopback HTTP server that records every request and answers through `handler`. */
export async function startRecordingServer(handler: Handler): Promise<RecordingServer> {
  const requests: RecordedRequest[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request = {method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks)}
      requests.push(request)
      handler(request, res)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
      })
    },
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {'content-type': 'application/json'})
  res.end(JSON.stringify(body))
}
