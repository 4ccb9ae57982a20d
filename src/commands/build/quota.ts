import {BuildsClient, type QuotaResponse} from '../../api/builds.js'
import {BaseCommand} from '../../base-command.js'
import {renderQuota} from '../../build/format.js'

export default class BuildQuota extends BaseCommand {
  static override summary = 'Display quota information'
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run(): Promise<QuotaResponse> {
    await this.parse(BuildQuota)
    const response = await new BuildsClient(this.apiClient('builds')).quota()
    // Each category ends with a blank row, as upstream's table does.
    if (!this.jsonEnabled()) process.stdout.write(renderQuota(response.quota.categories) + '\n')
    return response
  }
}
