import {EnvvarsClient, type EnvvarsQuota} from '../../api/envvars.js'
import type {ResponseMessages} from '../../api/jobs-types.js'
import {BaseCommand} from '../../base-command.js'
import {renderQuota} from '../../envvars/format.js'

export default class EnvvarsQuotaCommand extends BaseCommand {
  static override summary = 'Get envvars quota information.'
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run(): Promise<{quota: EnvvarsQuota; messages: ResponseMessages}> {
    await this.parse(EnvvarsQuotaCommand)
    const response = await new EnvvarsClient(this.apiClient('envvars')).quota()
    if (!this.jsonEnabled()) this.print(renderQuota(response.quota))
    return response
  }
}
