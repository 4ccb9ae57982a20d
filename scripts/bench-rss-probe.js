// Preloaded with `node --import` into a benchmarked process: reports the process's own peak RSS
// (kilobytes) on file descriptor 3 as it exits, which the bench opened as a pipe. This measures the
// CLI itself, without /usr/bin/time and without sampling /proc while it runs.
import {writeSync} from 'node:fs'

process.on('exit', () => {
  try {
    writeSync(3, `${process.resourceUsage().maxRSS}\n`)
  } catch {
    // Run outside the bench (no fd 3): nothing to report to.
  }
})
