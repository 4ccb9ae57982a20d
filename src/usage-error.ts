import {Errors} from '@oclif/core'

import {EXIT_SERVER_ERROR, ToolforgeError} from './api/errors.js'

/**
 * A command line oclif cannot parse is a usage error: exit 2, as argparse and click, also where
 * oclif raises it without an exit code of its own ("Flag --command expects a value", "Expected
 * fish to be one of: bash, zsh"). Our own errors keep theirs.
 */
export function asUsageError(error: unknown): unknown {
  if (error instanceof Errors.CLIError && !(error instanceof ToolforgeError)) error.oclif.exit = EXIT_SERVER_ERROR
  return error
}
