import {Flags} from '@oclif/core'

import {UserError} from './api/errors.js'
import {BaseCommand} from './base-command.js'

/** Shared by every `toolforge sandbox` command: the same --data-dir, and sandbox failures as user errors. */
export abstract class SandboxCommand extends BaseCommand {
  static override baseFlags = {
    ...BaseCommand.baseFlags,
    'data-dir': Flags.directory({
      summary: 'Where the sandbox keeps its state, certificates and logs.',
      description: 'Defaults to $TOOLFORGE_SANDBOX_DIR, else $XDG_DATA_HOME/toolforge/sandbox, else ~/.local/share/toolforge/sandbox. Several sandboxes can coexist in different folders.',
      env: 'TOOLFORGE_SANDBOX_DIR',
    }),
  }

  /** Runs a sandbox control call, turning its SandboxError (a message meant for the user) into exit 1. */
  protected async control<T>(call: () => Promise<T> | T): Promise<T> {
    const {SandboxError} = await import('./sandbox/control.js')
    try {
      return await call()
    } catch (error) {
      if (error instanceof SandboxError) throw new UserError(error.message)
      throw error
    }
  }
}
