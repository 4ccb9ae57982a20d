type Listener = (...args: unknown[]) => void

/**
 * Makes `handler` the only Ctrl-C listener until the returned function is called, which puts the
 * previous listeners back in their order. For commands where Ctrl-C is the normal way to finish
 * (following logs), while every other command keeps the process-wide "exit 130" handler.
 */
export function takeOverInterrupt(handler: () => void): () => void {
  // rawListeners keeps `once` wrappers intact, so a restored one-shot listener stays one-shot.
  const previous = process.rawListeners('SIGINT') as Listener[]
  for (const listener of previous) process.removeListener('SIGINT', listener)
  process.on('SIGINT', handler)
  let restored = false
  return () => {
    if (restored) return
    restored = true
    process.removeListener('SIGINT', handler)
    for (const listener of previous) process.on('SIGINT', listener)
  }
}
