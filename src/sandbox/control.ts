// Lifecycle of the local sandbox for `toolforge sandbox start|stop|status|env|reset`. Every wait has
// a timeout, and every failure is a SandboxError with a message meant for the user.

import {spawn} from 'node:child_process'
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync} from 'node:fs'
import {request} from 'node:https'
import {createServer} from 'node:net'
import {dirname, join, resolve, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

import {parse as parseYaml} from 'yaml'

import {certPaths, ensureCerts} from './certs.js'
import {SandboxError} from './errors.js'
import {SANDBOX_MARKER, TOOL_HOME_VARIABLE} from './marker.js'
import {parseQuotaArgs} from './quota.js'
import {
  configPath, isSandboxProcess, kubeconfigPath, logFile, type PidInfo, readPidFile, removePidFile, STATE_ENTRIES,
  writeKubeconfig, writePidFile, writeToolforgeConfig,
} from './files.js'
import {DEFAULT_PORT, DEFAULT_TOOL, defaultDataDir, toolHomeDir} from './paths.js'
import {type SandboxServer, startServer} from './server.js'
import {readSettings, resolveSettings, writeSettings} from './settings.js'

export {defaultDataDir} from './paths.js'
export {SandboxError} from './errors.js'

export interface StartOptions {
  dataDir?: string
  port?: number
  /** Default: the one the data dir was first started with, else tf-test; a different one is refused. */
  tool?: string
  /** Default: the one the data dir was first started with, else 50001; a different one is refused. */
  uid?: number
  /** Run the server in this process (the caller keeps it alive and calls server.close()). */
  foreground?: boolean
  /** How long to wait for the server to answer its health check. */
  timeoutMs?: number
  /** ResourceQuota overrides as KEY=VALUE, like the per-tool quota bumps admins grant; merged into the stored ones. */
  quota?: string[]
}

export interface SandboxInfo {
  dataDir: string
  pid: number
  port: number
  url: string
  tool: string
  /** uid the tool's pods must run as (the pod policy's). */
  uid: number
  /** The tool's home: where jobs run and file logs go. */
  toolHome: string
  kubeconfig: string
  configFile: string
  caFile: string
  logFile: string
  /** Set when a stale pid file was found and removed. */
  stalePid?: number
  /** Only for foreground starts. */
  server?: SandboxServer
}

export interface SandboxStatus {
  dataDir: string
  running: boolean
  pid?: number
  port?: number
  url?: string
  tool?: string
  /** The server answered its health check. */
  healthy?: boolean
  /** A pid file pointed at a process that is gone. */
  stalePid?: number
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer()
    probe.once('error', () => done(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)))
  })
}

/** GET /jobs/v1/healthz verifying the server with the sandbox CA; false on any failure or timeout. */
export function healthy(url: string, caFile: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((done) => {
    let ca: Buffer
    try {
      ca = readFileSync(caFile)
    } catch {
      done(false)
      return
    }
    const req = request(`${url}/jobs/v1/healthz`, {ca, timeout: timeoutMs}, (res) => {
      res.resume()
      done(res.statusCode === 200)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => done(false))
    req.end()
  })
}

/** The running server of a data dir, cleaning up a stale pid file (whose pid is reported). */
function liveServer(dataDir: string): {info?: PidInfo; stalePid?: number} {
  const info = readPidFile(dataDir)
  if (!info) return {}
  if (isSandboxProcess(info.pid, dataDir)) return {info}
  removePidFile(dataDir, info.pid)
  return {stalePid: info.pid}
}

function entryPoint(): {args: string[]; cwd: string} {
  const here = fileURLToPath(import.meta.url)
  if (here.endsWith('.ts')) {
    // Running from sources (tests, bin/dev): the same entry through tsx.
    return {args: ['--import', 'tsx', join(dirname(here), 'main.ts')], cwd: resolve(dirname(here), '..', '..')}
  }

  // Built: this code is inlined into a command under dist/, and the daemon is its own entry point.
  const dist = here.slice(0, here.lastIndexOf(`${sep}dist${sep}`) + `${sep}dist`.length)
  return {args: [join(dist, 'sandbox', 'main.js')], cwd: join(dist, 'sandbox')}
}

function logTail(dataDir: string): string {
  try {
    return readFileSync(logFile(dataDir), 'utf8').trim().split('\n').slice(-5).join('\n')
  } catch {
    return ''
  }
}

export async function startSandbox(opts: StartOptions = {}): Promise<SandboxInfo> {
  const dataDir = resolve(opts.dataDir ?? defaultDataDir())
  const port = opts.port ?? DEFAULT_PORT
  const timeoutMs = opts.timeoutMs ?? 20_000
  let given: Record<string, string>
  try {
    given = parseQuotaArgs(opts.quota ?? [])
  } catch (error) {
    throw new SandboxError((error as Error).message)
  }
  const settings = resolveSettings(readSettings(dataDir), {tool: opts.tool, uid: opts.uid, quota: given})
  const {tool, uid, quota} = settings
  mkdirSync(dataDir, {recursive: true, mode: 0o700})

  const {info: running, stalePid} = liveServer(dataDir)
  if (running) throw new SandboxError(`The sandbox is already running (pid ${running.pid}, port ${running.port}, ${running.url})`)
  if (port !== 0 && !(await portFree(port))) {
    throw new SandboxError(`Port ${port} is already in use on 127.0.0.1; choose another one with --port`)
  }

  const certs = ensureCerts(dataDir, tool)
  const toolHome = toolHomeDir(dataDir, tool)
  mkdirSync(toolHome, {recursive: true})
  const result = (actualPort: number, pid: number): SandboxInfo => {
    // Remembered only once the server runs, so a start that failed can be retried with other settings.
    writeSettings(dataDir, settings)
    const url = `https://127.0.0.1:${actualPort}`
    return {
      dataDir, pid, port: actualPort, url, tool, uid, toolHome,
      kubeconfig: writeKubeconfig(dataDir, tool, url, certs),
      configFile: writeToolforgeConfig(dataDir, url, certs.caCert),
      caFile: certs.caCert,
      logFile: logFile(dataDir),
      ...(stalePid === undefined ? {} : {stalePid}),
    }
  }

  if (opts.foreground) {
    const server = await startServer({dataDir, port, tool, uid, quota}).catch((error: Error) => {
      throw new SandboxError(`Unable to start the sandbox: ${error.message}`)
    })
    writePidFile(dataDir, {pid: process.pid, port: server.port, url: server.url, tool, uid, started: new Date().toISOString()})
    const owned: SandboxServer = {
      port: server.port,
      url: server.url,
      async close() {
        await server.close()
        removePidFile(dataDir, process.pid)
      },
    }
    return {...result(server.port, process.pid), server: owned}
  }

  if (port === 0) throw new SandboxError('A background sandbox needs a fixed port')
  const entry = entryPoint()
  const log = openSync(logFile(dataDir), 'a')
  let exited: number | null = null
  const child = spawn(process.execPath, [...entry.args, '--data-dir', dataDir, '--port', String(port), '--tool', tool, '--uid', String(uid),
    ...Object.entries(quota).flatMap(([key, value]) => ['--quota', `${key}=${value}`])], {
    cwd: entry.cwd, detached: true, stdio: ['ignore', log, log],
  })
  closeSync(log)
  child.on('exit', (code) => {
    exited = code ?? 1
  })
  child.unref()
  const pid = child.pid ?? 0
  const url = `https://127.0.0.1:${port}`

  const deadline = Date.now() + timeoutMs
  while (!(await healthy(url, certs.caCert, 1000))) {
    if (exited !== null) throw new SandboxError(`The sandbox failed to start (exit code ${exited}). ${logTail(dataDir)}`.trim())
    if (Date.now() > deadline) {
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
      throw new SandboxError(`The sandbox did not answer within ${Math.round(timeoutMs / 1000)} s; see ${logFile(dataDir)}`)
    }
    await sleep(100)
  }
  return result(port, pid)
}

export interface StopResult {
  pid: number
  /** It had to be killed after not stopping within the timeout. */
  killed: boolean
}

export async function stopSandbox(opts: {dataDir?: string; timeoutMs?: number} = {}): Promise<StopResult> {
  const dataDir = resolve(opts.dataDir ?? defaultDataDir())
  const {info, stalePid} = liveServer(dataDir)
  if (!info) {
    throw new SandboxError(stalePid === undefined
      ? 'The sandbox is not running'
      : `The sandbox is not running (removed a stale pid file for pid ${stalePid})`)
  }
  if (info.pid === process.pid) throw new SandboxError('The sandbox runs in the foreground of this process; stop it there')
  process.kill(info.pid, 'SIGTERM')
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000)
  while (isSandboxProcess(info.pid, dataDir)) {
    if (Date.now() > deadline) {
      try {
        process.kill(info.pid, 'SIGKILL')
      } catch {
        // Gone meanwhile.
      }
      removePidFile(dataDir, info.pid)
      return {pid: info.pid, killed: true}
    }
    await sleep(100)
  }
  removePidFile(dataDir, info.pid)
  return {pid: info.pid, killed: false}
}

export async function sandboxStatus(opts: {dataDir?: string} = {}): Promise<SandboxStatus> {
  const dataDir = resolve(opts.dataDir ?? defaultDataDir())
  const {info, stalePid} = liveServer(dataDir)
  if (!info) return {dataDir, running: false, ...(stalePid === undefined ? {} : {stalePid})}
  return {dataDir, running: true, pid: info.pid, port: info.port, url: info.url, tool: info.tool,
    healthy: await healthy(info.url, certPaths(dataDir).caCert)}
}

/**
 * Variables that point the CLI at the sandbox. HOME is left alone (the user's own files stay theirs);
 * TOOLFORGE_TOOL_HOME names the tool home for the commands that use one, and TOOLFORGE_SANDBOX marks
 * the target as this local sandbox.
 */
export function sandboxEnv(opts: {dataDir?: string} = {}): Record<string, string> {
  const dataDir = resolve(opts.dataDir ?? defaultDataDir())
  const config = configPath(dataDir)
  if (!existsSync(config) || !existsSync(kubeconfigPath(dataDir))) {
    throw new SandboxError(`The sandbox in ${dataDir} has not been started yet; run \`toolforge sandbox start\``)
  }
  const parsed = parseYaml(readFileSync(config, 'utf8')) as {api_gateway?: {url?: string; ca_file?: string}}
  const url = readPidFile(dataDir)?.url ?? parsed.api_gateway?.url
  if (!url) throw new SandboxError(`${config} has no api_gateway.url`)
  const tool = readSettings(dataDir)?.tool ?? readPidFile(dataDir)?.tool ?? DEFAULT_TOOL
  return {
    KUBECONFIG: kubeconfigPath(dataDir),
    TOOL_TOOLFORGE_API_URL: url,
    TOOLFORGE_CA_FILE: parsed.api_gateway?.ca_file ?? certPaths(dataDir).caCert,
    [TOOL_HOME_VARIABLE]: toolHomeDir(dataDir, tool),
    [SANDBOX_MARKER]: dataDir,
  }
}

/** Stops the sandbox if it runs, then removes all its state (jobs, envvars, logs, homes, certificates). */
export async function resetSandbox(opts: {dataDir?: string; timeoutMs?: number} = {}): Promise<{stopped: boolean}> {
  const dataDir = resolve(opts.dataDir ?? defaultDataDir())
  let stopped = false
  if (liveServer(dataDir).info) {
    await stopSandbox({dataDir, timeoutMs: opts.timeoutMs})
    stopped = true
  }
  for (const entry of STATE_ENTRIES) rmSync(join(dataDir, entry), {recursive: true, force: true})
  return {stopped}
}

export {DEFAULT_PORT, DEFAULT_TOOL, DEFAULT_UID} from './paths.js'
