import {spinnersEnabled} from './terminal.js'

export interface Spinner {
  update(text: string): void
  stop(): void
}

const SILENT: Spinner = {update() {}, stop() {}}

/** An ora spinner on stderr when a person is watching; a no-op for scripts, pipes, CI and --json. */
export async function startSpinner(text: string, opts: {json?: boolean} = {}): Promise<Spinner> {
  if (opts.json || !spinnersEnabled()) return SILENT
  const {default: ora} = await import('ora')
  // discardStdin would swallow a Ctrl-C meant for us and keystrokes meant for a later prompt.
  const spinner = ora({text, stream: process.stderr, discardStdin: false}).start()
  return {
    update(next) {
      spinner.text = next
    },
    stop() {
      spinner.stop()
    },
  }
}
