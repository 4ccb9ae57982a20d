import {Readable} from 'node:stream'

import {run as runInProcess, type RunResult} from '../helpers/run.js'

/** Runs a command in-process with `input` as its standard input (not a terminal), like `cmd < file`. */
export async function run(args: string[], input: string): Promise<RunResult> {
  const descriptor = Object.getOwnPropertyDescriptor(process, 'stdin')!
  const stdin = Object.assign(Readable.from([Buffer.from(input)]), {isTTY: false})
  Object.defineProperty(process, 'stdin', {value: stdin, configurable: true, enumerable: true})
  try {
    return await runInProcess(args)
  } finally {
    Object.defineProperty(process, 'stdin', descriptor)
  }
}
