import {Config, run as runOclif} from '@oclif/core'
import {captureOutput} from '@oclif/test'

export interface RunResult {
  stdout: string
  stderr: string
  exitCode: number
  result: unknown
}

const ROOT = new URL('../../', import.meta.url).pathname
let config: Promise<Config> | undefined

/**
 * The CLI's configuration, loaded once. Commands always come from src/ (through tsx): a build's
 * oclif.manifest.json would otherwise point oclif at the bundled dist/, which may be older than the
 * sources under test.
 */
function loadConfig(): Promise<Config> {
  config ??= Config.load({root: ROOT}).then((loaded) => {
    for (const plugin of loaded.plugins.values()) {
      if (!plugin.isRoot) continue
      const {manifest} = plugin as unknown as {manifest: {commands: Record<string, {relativePath?: unknown; isESM?: unknown}>}}
      for (const command of Object.values(manifest.commands)) {
        delete command.relativePath
        delete command.isESM
      }
    }

    return loaded
  })
  return config
}

/**
 * Runs a command in-process and reports the exit code the process would have had. The argv array is
 * passed through untouched: @oclif/test's runCommand joins and re-splits it, which breaks arguments
 * containing spaces or quotes (`--command "echo hi"`).
 */
export async function run(args: string[]): Promise<RunResult> {
  const loaded = await loadConfig()
  const {stdout, stderr, error, result} = await captureOutput(async () => runOclif(args, loaded))
  const exit = (error as {oclif?: {exit?: number}} | undefined)?.oclif?.exit
  return {stdout, stderr, result, exitCode: error ? (typeof exit === 'number' ? exit : 1) : 0}
}
