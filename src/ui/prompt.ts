import {InterruptedError, UserError} from '../api/errors.js'
import {interactive} from './terminal.js'

function isPromptExit(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')
}

export interface ConfirmOptions {
  /** `--yes` (or the command's upstream name for it) was given. */
  yes?: boolean
  /** `--json`: the output is for a program, so nobody is asked. */
  json?: boolean
  /**
   * When nobody can be asked (no terminal, or --json): `refuse` (the default) stops, as upstream's
   * build and envvars CLIs do when their prompt reads end of input, so a script that forgot the flag
   * destroys nothing; `proceed` goes on, as upstream's jobs CLI, which never asks.
   */
  unattended?: 'proceed' | 'refuse'
  /** The flag to name in the refusal. */
  yesFlag?: string
}

/** Ask before destroying something; `--yes` skips the question. */
export async function confirmDestructive(message: string, opts: ConfirmOptions = {}): Promise<void> {
  if (opts.yes) return
  if (opts.json || !interactive()) {
    if (opts.unattended === 'proceed') return
    const why = opts.json ? '--json never asks' : 'there is no terminal to ask on'
    throw new UserError(`${message} Not confirmed (${why}): pass ${opts.yesFlag ?? '--yes'} to go ahead.`)
  }

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
