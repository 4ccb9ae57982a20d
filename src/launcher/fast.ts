// Answers the requests bin/run.js routes here (src/launcher/route.ts) without oclif: a shell's
// completion request, and help. Built as one CommonJS file, dist/launcher/fast-<hash>.cjs, that
// runs with the code cache; the CommonJS entry point loads it, so answering `--help` or a TAB
// never starts Node's ES module loader (~5 ms), nor oclif.

import {completeFromManifests} from '../completion/run.js'
import type {PackageJson} from '../oclif-manifests.js'
import {helpFromManifests} from '../ui/help-launch.js'
import {stdoutInfo, writeStdoutSync} from '../ui/stdout-sync.js'

/** True when the request was answered; false leaves it to oclif (which then prints the same help). */
export function answer(root: string, pjson: PackageJson, argv: readonly string[]): boolean {
  if (completeFromManifests(root, pjson, argv)) return true
  const text = helpFromManifests(root, pjson, argv, process.env, {stdout: stdoutInfo()})
  if (text === undefined) return false
  writeStdoutSync(text)
  return true
}
