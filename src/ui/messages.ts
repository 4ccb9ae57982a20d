import type {ResponseMessages} from '../api/jobs-types.js'
import {neutralizeControls} from './control-chars.js'
import {colorEnabled, paint} from './terminal.js'

export interface Printer {
  /** Informational line: stdout for people, stderr under --json so stdout stays pure data. */
  info(message: string): void
  warn(message: string): void
  error(message: string): void
  debug(message: string): void
  /** The API's `messages` envelope (config-auth.md §7): info like info(), warnings like warn(). */
  messages(messages: ResponseMessages): void
}

export function createPrinter(opts: {json: boolean; debug: boolean}): Printer {
  const infoStream = opts.json ? process.stderr : process.stdout
  // --json is for programs, even when one runs in a terminal: no escape codes on either stream.
  const infoColor = !opts.json && colorEnabled(infoStream)
  // A redirected stdout means a script runs this, even when its stderr still shows on a terminal.
  const errColor = !opts.json && colorEnabled(process.stderr) && colorEnabled(process.stdout)
  const write = (stream: NodeJS.WriteStream, text: string) => stream.write(text.endsWith('\n') ? text : text + '\n')
  // Messages quote what servers said (API messages, error bodies, traced responses): neutralised before painting.
  const clean = neutralizeControls
  const printer: Printer = {
    info(message) {
      write(infoStream, paint(clean(message), 'blue', infoColor))
    },
    warn(message) {
      write(process.stderr, `${paint('WARNING', 'boldYellow', errColor)}: ${clean(message)}`)
    },
    error(message) {
      write(process.stderr, `${paint('ERROR', 'boldRed', errColor)}: ${clean(message)}`)
    },
    debug(message) {
      if (opts.debug) write(process.stderr, `[${new Date().toISOString()}] DEBUG: ${clean(message)}`)
    },
    messages(messages) {
      for (const line of messages.info ?? []) printer.info(line)
      for (const line of messages.warning ?? []) printer.warn(line)
    },
  }
  return printer
}
