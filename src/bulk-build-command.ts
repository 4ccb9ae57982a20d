import {BuildsClient} from './api/builds.js'
import {BaseCommand} from './base-command.js'
import {type BulkAction, bulkBuilds, bulkJson} from './build/bulk.js'
import {confirmDestructive} from './ui/prompt.js'

/** Shared by `build cancel` and `build delete`: the bulk run, wired to the terminal or to --json. */
export abstract class BulkBuildCommand extends BaseCommand {
  protected async runBulk(action: BulkAction, ids: string[], flags: {all: boolean; 'yes-i-know': boolean}): Promise<Record<string, unknown>> {
    const json = this.jsonEnabled()
    const result = await bulkBuilds(action, new BuildsClient(this.apiClient('builds')), {ids, all: flags.all}, {
      confirm: (message) => confirmDestructive(message, {yes: flags['yes-i-know'], json, yesFlag: '--yes-i-know'}),
      // Under --json each failure is in the document; the final error line says how many failed.
      error: (message) => (json ? undefined : this.printer.error(message)),
      print: (text) => (json ? undefined : this.print(text)),
      result: (outcome) => (json && outcome.failures.length > 0 ? this.logJson(bulkJson(action, outcome)) : undefined),
    })
    return bulkJson(action, result)
  }
}
