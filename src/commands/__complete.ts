import {Command} from '@oclif/core'

import {runCompletion, selfCommand} from '../completion/run.js'
import {buildTree} from '../completion/tree.js'
import {isCachedKind} from '../completion/values.js'

/**
 * Runs on every TAB, so it loads nothing but the command tree oclif already has (from the manifest)
 * and the completion cache: no API client, YAML or table code. Whatever happens, it prints nothing
 * but candidates and exits 0, so the shell prompt is never cluttered.
 */
export default class Complete extends Command {
  static override hidden = true
  static override strict = false
  static override summary = 'Print completion candidates for a partial command line (used by the shell completion functions).'
  static override usage = ['__complete -- [WORDS...]', '__complete --refresh jobs|images|envvars|builds']

  async run(): Promise<void> {
    // The words are the user's command line, whatever flags they contain: nothing of ours to parse
    // (parsing none tells oclif so, instead of a warning in development mode).
    const argv = this.argv
    await this.parse(Complete, [])
    if (argv[0] === '--refresh') {
      if (!isCachedKind(argv[1] ?? '')) return
      const {refreshKind} = await import('../completion/refresh.js')
      await refreshKind(argv[1] as Parameters<typeof refreshKind>[0], {cacheDir: this.config.cacheDir, version: this.config.version})
      return
    }

    const words = argv[0] === '--' ? argv.slice(1) : argv
    let output = ''
    try {
      output = runCompletion({
        tree: buildTree(this.config.commands, this.config.topics, this.config.bin),
        words,
        cacheDir: this.config.cacheDir,
        self: selfCommand(this.config.root),
      })
    } catch {
      output = ''
    }

    process.stdout.write(output)
  }

  protected override async catch(): Promise<void> {
    // Deliberately silent: an error message would land in the middle of the user's prompt.
  }
}
