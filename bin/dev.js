#!/usr/bin/env node
// Runs the TypeScript sources directly. oclif would take command locations from the manifest a
// build leaves behind (dist/, with its own bundled copy of oclif), so those entries are dropped
// and commands are found under src/ instead.
'use strict'

process.env.NODE_ENV = 'development'
// tsx is registered from here rather than with `node --import tsx` in the first line, which would
// look for tsx in the working directory instead of this checkout.
require('tsx/esm/api').register()

async function main() {
  const {Config, flush, handle, run} = await import('@oclif/core')
  const config = await Config.load({root: require('node:path').join(__dirname, '..')})
  for (const plugin of config.plugins.values()) {
    if (!plugin.isRoot) continue
    for (const command of Object.values(plugin.manifest.commands)) {
      delete command.relativePath
      delete command.isESM
    }
  }

  const {applyLeadingOptions, ownCommandId, strayWordsAsArguments} = await import('../src/launcher/route.ts')
  let argv = applyLeadingOptions(process.argv.slice(2), process.env)
  const id = ownCommandId(argv, new Set(config.commandIDs))
  if (id) argv = strayWordsAsArguments(argv, id, config.findCommand(id))
  await run(argv, config).then(flush, handle)
}

main()
