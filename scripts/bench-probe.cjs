// Preloaded (`node --require`) into every benchmarked process: on exit it reports the process's
// own CPU time (µs) and peak RSS (KB) on file descriptor 3, a pipe the bench opened. CPU time
// stays meaningful when other jobs load the machine, which wall time does not, and neither needs
// /usr/bin/time or sampling /proc. CommonJS on purpose: `--import` would start the ES module
// loader in `node -e 0` too and inflate the baseline.
'use strict'
const {writeSync} = require('node:fs')

process.on('exit', () => {
  const usage = process.resourceUsage()
  try {
    writeSync(3, `${usage.userCPUTime + usage.systemCPUTime} ${usage.maxRSS}\n`)
  } catch {
    // Not started by the bench (no fd 3): nothing to report to.
  }
})
