#!/usr/bin/env -S node --import tsx --disable-warning=ExperimentalWarning
import {Config, flush, handle, run} from '@oclif/core'

// Runs the TypeScript sources directly. oclif would take command locations from the manifest a
// build leaves behind (dist/, with its own bundled copy of oclif), so those entries are dropped
// and commands are found under src/ instead.
process.env.NODE_ENV = 'development'
const config = await Config.load({root: new URL('..', import.meta.url).pathname})
for (const plugin of config.plugins.values()) {
  if (!plugin.isRoot) continue
  for (const command of Object.values(plugin.manifest.commands)) {
    delete command.relativePath
    delete command.isESM
  }
}

await run(process.argv.slice(2), config).then(flush, handle)
