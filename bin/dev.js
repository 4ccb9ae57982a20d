#!/usr/bin/env -S node --import tsx --disable-warning=ExperimentalWarning
import {execute} from '@oclif/core'
import {rmSync} from 'node:fs'

// Runs the TypeScript sources directly. The oclif manifest written by a build would make oclif load
// the bundled dist commands instead (with a second copy of oclif), so it is set aside first; the next
// build writes it again.
rmSync(new URL('../oclif.manifest.json', import.meta.url), {force: true})
await execute({development: true, dir: import.meta.url})
