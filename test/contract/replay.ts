import {expect} from 'chai'
import nock from 'nock'
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'

import {type PrismExchange, type PrismScript, type PrismServer, startPrism} from '../helpers/prism.js'
import {type CliResult, runCli} from '../helpers/subprocess.js'
import {makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'

// Replays the CLI's real requests against Prism: the CLI runs in its own process with its base URL
// pointed at the harness, exactly as a tool account would run it, and every request it sends is checked
// against the spec.

export const TOOL = 'mytool'

/**
 * Spec paths start at /v1/… without the gateway's /jobs or /builds prefix, so the test config sets the
 * endpoints to /v1; the base URL comes from TOOL_TOOLFORGE_API_URL.
 */
export const CONTRACT_CONFIG = 'jobs: {jobs_endpoint: /v1}\nbuilds: {builds_endpoint: /v1}\n'

export interface Contract {
  prism: PrismServer
  tool: ToolEnv
  close(): Promise<void>
}

export async function openContract(spec: string, config = CONTRACT_CONFIG): Promise<Contract> {
  // test/helpers/setup.ts blocks the network for nock; the harness and the CLI talk over loopback.
  nock.enableNetConnect('127.0.0.1')
  const prism = await startPrism(spec)
  const tool = makeToolEnv({tool: TOOL, apiUrl: prism.url, config})
  // webservice's pre-flight check for python types wants the application directory.
  mkdirSync(join(tool.home, 'www/python/src'), {recursive: true})
  return {
    prism,
    tool,
    async close() {
      tool.restore()
      await prism.stop()
      nock.disableNetConnect()
    },
  }
}

export interface ReplayOptions {
  /** Expected exit code (default 0). */
  exit?: number
  script?: PrismScript
  stdin?: string
}

export interface Replay {
  result: CliResult
  exchanges: PrismExchange[]
}

/**
 * Runs one CLI command against Prism and fails on any request mismatch, on an unexpected exit code, or
 * when the command sent nothing at all (a command that silently skipped its request would otherwise pass).
 */
export async function replay(contract: Contract, args: string[], opts: ReplayOptions = {}): Promise<Replay> {
  const {prism, tool} = contract
  prism.setScript(opts.script)
  let result: CliResult
  try {
    result = await runCli(args, {env: tool.env, stdin: opts.stdin, timeoutMs: 30_000})
  } finally {
    prism.setScript(undefined)
  }

  const exchanges = prism.takeExchanges()
  const violations = await prism.takeRequestViolations()
  const context = `toolforge ${args.join(' ')}\nstderr: ${result.stderr}`
  expect(violations, `request(s) not matching the spec\n${context}`).to.deep.equal([])
  expect(result.exitCode, context).to.equal(opts.exit ?? 0)
  expect(exchanges, `no request reached the API\n${context}`).not.to.be.empty
  return {result, exchanges}
}

/** Method and path (query string dropped) of each exchange: the request sequence a command made. */
export function calls(exchanges: PrismExchange[]): string[] {
  return exchanges.map((e) => `${e.method} ${e.url.split('?')[0]}`)
}

/** The JSON bodies sent with `method` to paths ending in `suffix`, in order. */
export function bodies(exchanges: PrismExchange[], method: string, suffix: string): Record<string, unknown>[] {
  return exchanges
    .filter((e) => e.method === method && e.url.split('?')[0].endsWith(suffix))
    .map((e) => JSON.parse(e.body) as Record<string, unknown>)
}

export function query(exchange: PrismExchange): Record<string, string> {
  return Object.fromEntries(new URL(exchange.url, 'http://x').searchParams)
}
