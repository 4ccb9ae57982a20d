import {expect} from 'chai'
import nock from 'nock'

import type {RunResult} from '../helpers/run.js'

// The reliability suite's figures. Every case (bad input, fault, secret check) is counted here as well as
// asserted, so the run ends with one line a reviewer can read at a glance; each figure must be zero.

export const figures = {cases: 0, crashes: 0, wrongExitCodes: 0, leakedSecrets: 0}

// What an escaped exception looks like on a terminal: a stack frame, or the catch-all of BaseCommand.
const CRASH = [/^\s+at .+:\d+:\d+\)?$/m, /An internal error occurred/, /\b(TypeError|ReferenceError|RangeError|SyntaxError): /, /Unhandled|uncaught/i]
// Key material of any kind; a certificate is not secret, but seeing one means the wrong file was printed.
const PEM = /-----BEGIN [A-Z ]+-----/

export function crashIn(output: string): RegExp | undefined {
  return CRASH.find((pattern) => pattern.test(output))
}

export function leaksIn(output: string, secrets: readonly string[] = []): string[] {
  const found = secrets.filter((secret) => secret !== '' && output.includes(secret))
  if (PEM.test(output)) found.push('PEM block')
  return found
}

export interface Expectation {
  /** The exit code, or the codes any of which is right. */
  exit: number | readonly number[]
  secrets?: readonly string[]
}

/** Counts one case and asserts it: no crash, no leaked secret, the expected exit code. */
export function check(result: Pick<RunResult, 'stdout' | 'stderr' | 'exitCode'>, expected: Expectation, label = ''): void {
  figures.cases++
  const output = `${result.stdout}\n${result.stderr}`
  const crash = crashIn(output)
  const leaks = leaksIn(output, expected.secrets)
  const exits = typeof expected.exit === 'number' ? [expected.exit] : expected.exit
  if (crash) figures.crashes++
  if (!exits.includes(result.exitCode)) figures.wrongExitCodes++
  if (leaks.length > 0) figures.leakedSecrets++
  const context = `${label}\nstdout: ${result.stdout.slice(0, 2000)}\nstderr: ${result.stderr.slice(0, 2000)}`
  expect(crash, `looks like a crash (${String(crash)})${context}`).to.equal(undefined)
  expect(leaks, `leaked secrets${context}`).to.deep.equal([])
  expect(exits, `exit code ${result.exitCode}${context}`).to.include(result.exitCode)
}

/** Records every request nock refused, so a test can assert that nothing at all was sent. */
export function watchRequests(): {attempts: string[]; stop(): void} {
  const attempts: string[] = []
  const onNoMatch = (req: {method?: string; path?: string; options?: {method?: string; path?: string}}) => {
    attempts.push(`${req.method ?? req.options?.method ?? '?'} ${req.path ?? req.options?.path ?? '?'}`)
  }

  nock.emitter.on('no match', onNoMatch)
  return {attempts, stop: () => nock.emitter.removeListener('no match', onNoMatch)}
}

// A root-level hook: runs once, after every test file, whichever of them ran.
after(() => {
  const {cases, crashes, wrongExitCodes, leakedSecrets} = figures
  if (cases === 0) return
  console.log(`\n  reliability: ${cases} cases, ${crashes} crashes, ${wrongExitCodes} wrong exit codes, ${leakedSecrets} leaked secrets`)
})
