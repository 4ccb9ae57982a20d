// Everything bin/run.js decides before it loads oclif. Besides the usual dist/ module, the build
// emits this file with all it imports as one CommonJS file, dist/launcher/fast.cjs, which the
// CommonJS entry point requires: answering `--help` or a TAB then never starts Node's ES module
// loader (~5 ms), nor oclif.

import {completeFromManifests} from '../completion/run.js'
import {readManifest, type PackageJson} from '../oclif-manifests.js'
import {helpFromManifests} from '../ui/help-launch.js'
import {mayBeHelp} from '../ui/help-request.js'
import {stdoutInfo, writeStdoutSync} from '../ui/stdout-sync.js'
import {ownCommandId, rootOnlyLoadOptions} from './route.js'

export type Launch =
  /** Answered here (a completion request or help); the process has nothing more to do. */
  | {done: true}
  /** oclif runs the command line, with these load options when it is one of our own commands. */
  | {done: false; loadOptions?: ReturnType<typeof rootOnlyLoadOptions<PackageJson>>}

export function launch(root: string, pjson: PackageJson, argv: readonly string[]): Launch {
  if (completeFromManifests(root, pjson, argv)) return {done: true}
  if (mayBeHelp(argv, pjson)) {
    const text = helpFromManifests(root, pjson, argv, process.env, {stdout: stdoutInfo()})
    if (text !== undefined) {
      writeStdoutSync(text)
      return {done: true}
    }
  }

  const commands = readManifest(root)?.commands
  if (commands && ownCommandId(argv, new Set(Object.keys(commands)))) return {done: false, loadOptions: rootOnlyLoadOptions(root, pjson)}
  return {done: false}
}
