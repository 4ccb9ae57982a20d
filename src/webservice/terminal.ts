// The local side of `webservice shell`: raw keystrokes and window size for a person at a terminal, plain
// pipes for scripts, and Ctrl-C routed to the session so the pod is removed before we exit.

import {takeOverInterrupt} from '../ui/interrupt.js'

export interface TerminalSession {
  tty: boolean
  signal: AbortSignal
  size: () => {cols: number; rows: number}
  onResize: (listener: () => void) => () => void
  restore: () => void
}

export function openTerminal(): TerminalSession {
  const {stdin, stdout} = process
  const tty = Boolean(stdin.isTTY && stdout.isTTY)
  const controller = new AbortController()
  // In raw mode Ctrl-C is a keystroke for the remote shell; otherwise it ends the session (and only that:
  // the process-wide "exit 130" handler would leave the pod behind).
  const giveBackInterrupt = takeOverInterrupt(() => controller.abort())
  if (tty) stdin.setRawMode(true)

  let restored = false
  return {
    tty,
    signal: controller.signal,
    size: () => ({cols: stdout.columns ?? 80, rows: stdout.rows ?? 24}),
    onResize(listener) {
      stdout.on('resize', listener)
      return () => stdout.off('resize', listener)
    },
    restore() {
      if (restored) return
      restored = true
      if (tty) stdin.setRawMode(false)
      stdin.pause()
      giveBackInterrupt()
    },
  }
}
