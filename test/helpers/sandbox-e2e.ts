// One real `toolforge sandbox` for all end-to-end files: started through the CLI on first use, stopped
// through the CLI by a root-level `after` hook once every file has run. The suite talks to it only by
// running the CLI as a subprocess (runCli); the direct HTTPS client here is for resetting state
// between files, not for anything a test asserts on.

import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {request} from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'
import nock from 'nock'

import {freePort} from '../../src/sandbox/proxy.js'
import {type CliOptions, type CliResult, runCli} from './subprocess.js'

export const TOOL = 'tf-test'

export interface E2ESandbox {
  dataDir: string
  /** The tool's home inside the sandbox: where jobs run and file logs land. */
  toolHome: string
  /** HOME of the CLI user (a temp dir, not the tool home). */
  home: string
  /** Exactly what the CLI gets: `sandbox env --json`, HOME and a short --wait poll interval. */
  env: Record<string, string>
  tf(args: string[], opts?: Partial<CliOptions>): Promise<CliResult>
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))


export async function waitUntil<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000, pauseMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(pauseMs)
  }
}

/** Fails with the whole CLI output, which is what one needs to see when an exit code is unexpected. */
export function expectExit(result: CliResult, code: number): CliResult {
  expect(result.exitCode, `exit code; stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).to.equal(code)
  return result
}

/**
 * The text of one row of a vertical CLI table (`| Label:  | value … |`), continuation lines joined,
 * so assertions do not depend on where the table wraps.
 */
export function tableCell(table: string, label: string): string {
  const lines = table.split('\n')
  const start = lines.findIndex((line) => line.startsWith(`| ${label}:`))
  if (start === -1) throw new Error(`no '${label}:' row in:\n${table}`)
  const parts: string[] = []
  for (let i = start; i < lines.length && lines[i].startsWith('|'); i++) {
    if (i > start && !/^\|\s+\|/.test(lines[i])) break
    parts.push(lines[i].split('|')[2].trim())
  }
  return parts.join(' ')
}

/** Processes that belong to a sandbox: its server (data dir on the command line) and every job process (HOME in it). */
export function sandboxProcesses(dataDir: string): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // Zombies are dead; only their parent has not collected them yet.
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0')
      if (cmdline.includes(dataDir) || environ.some((v) => v.startsWith(`HOME=${dataDir}/`))) found.push(Number(entry))
    } catch {
      // Exited while we looked.
    }
  }
  return found
}

export interface StartedSandbox {
  dataDir: string
  port: number
  pid: number
  env: Record<string, string>
}

/** `toolforge sandbox start` then `sandbox env --json`, on a free port (retried once if someone took it meanwhile). */
export async function startSandbox(dataDir: string, home: string, extra: string[] = []): Promise<StartedSandbox> {
  let started: CliResult | undefined
  let port = 0
  for (let attempt = 0; attempt < 2; attempt++) {
    port = await freePort()
    started = await runCli(['sandbox', 'start', '--data-dir', dataDir, '--port', String(port), '--json', ...extra], {env: {HOME: home}, timeoutMs: 40_000})
    if (started.exitCode === 0 || !started.stderr.includes('already in use')) break
  }
  expectExit(started!, 0)
  const info = JSON.parse(started!.stdout) as {pid: number; port: number; url: string; tool: string}
  expect(info).to.include({port, url: `https://127.0.0.1:${port}`, tool: TOOL})

  const envResult = expectExit(await runCli(['sandbox', 'env', '--data-dir', dataDir, '--json'], {env: {HOME: home}}), 0)
  const env = JSON.parse(envResult.stdout) as Record<string, string>
  expect(env).to.deep.equal({
    KUBECONFIG: join(dataDir, 'kube', 'config'),
    TOOL_TOOLFORGE_API_URL: info.url,
    TOOLFORGE_CA_FILE: join(dataDir, 'certs', 'ca.crt'),
    TOOLFORGE_TOOL_HOME: join(dataDir, 'home', TOOL),
    TOOLFORGE_SANDBOX: dataDir,
  })
  return {dataDir, port, pid: info.pid, env}
}

/** `toolforge sandbox stop`, then checks that the server and every job process it ran are gone. */
export async function stopSandbox(dataDir: string, home: string): Promise<void> {
  const stopped = expectExit(await runCli(['sandbox', 'stop', '--data-dir', dataDir], {env: {HOME: home}, timeoutMs: 40_000}), 0)
  expect(stopped.stdout).to.match(/^Sandbox stopped \(pid \d+\)\n$/)
  // Process groups are killed before stop returns; give the init process a moment to reap them.
  const left = await waitUntil(async () => (sandboxProcesses(dataDir).length === 0 ? [] : undefined), 'the sandbox processes to be gone', 5000)
    .catch(() => sandboxProcesses(dataDir))
  expect(left, `processes left behind by the sandbox in ${dataDir}`).to.deep.equal([])
}

let shared: Promise<E2ESandbox> | undefined
let sharedDirs: {dataDir: string; home: string; running: boolean} | undefined

/** The suite's sandbox, started on first use. */
export function e2eSandbox(): Promise<E2ESandbox> {
  // Every file that uses the sandbox talks to it on loopback; the global setup blocks the network for nock.
  nock.enableNetConnect('127.0.0.1')
  shared ??= (async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tf-e2e-sandbox-'))
    const home = mkdtempSync(join(tmpdir(), 'tf-e2e-home-'))
    sharedDirs = {dataDir, home, running: false}
    const {env: sandboxEnv, pid} = await startSandbox(dataDir, home)
    sharedDirs.running = true
    // A runner that exits without its root hooks (killed test run, process.exit) must not leave the
    // detached server and its jobs behind; SIGTERM makes the server stop every job it started.
    process.once('exit', () => {
      if (sharedDirs?.running) {
        try {
          process.kill(pid, 'SIGTERM')
        } catch {
          // Already gone.
        }
      }
    })
    const env = {...sandboxEnv, HOME: home, TOOLFORGE_WAIT_INTERVAL_MS: '200'}
    return {
      dataDir,
      toolHome: join(dataDir, 'home', TOOL),
      home,
      env,
      tf: (args, opts = {}) => runCli(args, {timeoutMs: 30_000, ...opts, env: {...env, ...opts.env}}),
    }
  })()
  return shared
}

// Registered while the first e2e file is loaded, so it is a root hook: it runs once, after every file.
after(async function () {
  if (!sharedDirs) return
  this.timeout(60_000)
  const {dataDir, home, running} = sharedDirs
  try {
    if (running) {
      await stopSandbox(dataDir, home)
      sharedDirs.running = false
    }
  } finally {
    rmSync(dataDir, {recursive: true, force: true})
    rmSync(home, {recursive: true, force: true})
  }
})

/**
 * For a describe block: the shared sandbox, with no jobs of the tool when the block starts and when
 * it ends. The object is filled in by the block's first `before` hook (register the block's own
 * hooks after calling this), so tests and later hooks use it as it is.
 */
export function sandboxWithoutJobs(): E2ESandbox {
  const sb = {} as E2ESandbox
  let started = false
  before(async function () {
    this.timeout(60_000)
    Object.assign(sb, await e2eSandbox())
    started = true
    await resetJobs(sb)
  })
  after(async () => {
    if (started) await resetJobs(sb)
  })
  return sb
}

/** Deletes every job of the tool over the API, so a file starts from a known state without spending a CLI run on it. */
export async function resetJobs(sb: E2ESandbox): Promise<void> {
  const certs = join(sb.dataDir, 'toolskube')
  await new Promise<void>((resolve, reject) => {
    const req = request(`${sb.env.TOOL_TOOLFORGE_API_URL}/jobs/v1/tool/${TOOL}/jobs/`, {
      method: 'DELETE',
      ca: readFileSync(sb.env.TOOLFORGE_CA_FILE),
      cert: readFileSync(join(certs, 'client.crt')),
      key: readFileSync(join(certs, 'client.key')),
    }, (res) => {
      res.resume()
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`DELETE jobs answered ${res.statusCode}`))))
    })
    req.on('error', reject)
    req.end()
  })
}
