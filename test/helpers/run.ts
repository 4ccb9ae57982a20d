import {run as runOclif} from '@oclif/core'
import {captureOutput} from '@oclif/test'

export interface RunResult {
  stdout: string
  stderr: string
  exitCode: number
  result: unknown
}

const ROOT = new URL('../../', import.meta.url).pathname

/**
 * Runs a command in-process and reports the exit code the process would have had. The argv array is
 * passed through untouched: @oclif/test's runCommand joins and re-splits it, which breaks arguments
 * containing spaces or quotes (`--command "echo hi"`).
 */
export async function run(args: string[]): Promise<RunResult> {
  const {stdout, stderr, error, result} = await captureOutput(async () => runOclif(args, {root: ROOT}))
  const exit = (error as {oclif?: {exit?: number}} | undefined)?.oclif?.exit
  return {stdout, stderr, result, exitCode: error ? (typeof exit === 'number' ? exit : 1) : 0}
}
