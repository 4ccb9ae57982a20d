import {InterruptedError, UserError} from '../api/errors.js'
import {interactive} from './terminal.js'

function isPromptExit(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')
}

/**
 * Ask before destroying something. `--yes` skips the question; without a terminal we do not ask
 * (a script cannot answer) and behave like upstream, which never asked.
 */
export async function confirmDestructive(message: string, opts: {yes?: boolean; json?: boolean} = {}): Promise<void> {
  if (opts.yes || opts.json || !interactive()) return
  const {confirm} = await import('@inquirer/prompts')
  let answer: boolean
  try {
    answer = await confirm({message, default: false}, {output: process.stderr})
  } catch (error) {
    if (isPromptExit(error)) throw new InterruptedError()
    throw error
  }

  if (!answer) throw new UserError("Aborting at user's request")
}

/** Read a secret on a terminal without echo. */
export async function promptSecret(message: string): Promise<string> {
  const {password} = await import('@inquirer/prompts')
  try {
    return await password({message, mask: false}, {output: process.stderr})
  } catch (error) {
    if (isPromptExit(error)) throw new InterruptedError()
    throw error
  }
}
