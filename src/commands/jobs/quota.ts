import type {QuotaCategory} from '../../api/jobs-types.js'
import {BaseCommand} from '../../base-command.js'
import {renderQuota} from '../../jobs/quota.js'

export default class JobsQuota extends BaseCommand {
  static override summary = 'Display quota information.'
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run(): Promise<{categories: QuotaCategory[]}> {
    await this.parse(JobsQuota)
    const categories = await this.jobsClient().quota()
    if (!this.jsonEnabled() && categories.length > 0) this.print(renderQuota(categories))
    return {categories}
  }
}
