import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'

export default class JobsRestart extends BaseCommand {
  static override summary = 'Restarts a running job.'
  static override description = 'A continuous job gets fresh pods; a scheduled job runs right now. One-off jobs cannot be restarted.'
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %> mybot']

  static override args = {
    name: Args.string({required: true, ignoreStdin: true, description: 'Job name.'}),
  }

  // The API's own messages (if any) are the only output, printed by the HTTP layer, as upstream.
  async run(): Promise<{restarted: string[]}> {
    const {args} = await this.parse(JobsRestart)
    await this.jobsClient().restart(args.name)
    return {restarted: [args.name]}
  }
}
