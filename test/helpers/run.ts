import {runCommand} from '@oclif/test'

export interface RunResult {
  stdout: string
  stderr: string
  exitCode: number
  result: unknown
}

/** Runs a command in-process and reports the exit code the process would have had. */
export async function run(args: string[]): Promise<RunResult> {
  const {stdout, stderr, error, result} = await runCommand(args, {root: new URL('../../', import.meta.url).pathname})
  const exit = (error as {oclif?: {exit?: number}} | undefined)?.oclif?.exit
  return {stdout, stderr, result, exitCode: error ? (typeof exit === 'number' ? exit : 1) : 0}
}
