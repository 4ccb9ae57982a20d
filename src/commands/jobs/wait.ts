import {Args, Flags} from '@oclif/core'

import {UserError} from '../../api/errors.js'
import {BaseCommand} from '../../base-command.js'
import {DEFAULT_WAIT_SECONDS} from '../../jobs/payload.js'
import {waitError, waitForJob, waitJson} from '../../jobs/wait.js'

export default class JobsWait extends BaseCommand {
  static override summary = 'Wait for a one-off job to complete.'
  static override description = [
    "What `jobs run --wait` does, for a job that is already running. Exits 0 when the job completed, 1 when it",
    'failed or disappeared before its result could be seen, 2 when the timeout ran out first.',
  ].join('\n')

  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %> myjob', '<%= config.bin %> <%= command.id %> myjob --timeout 3600']

  static override args = {
    name: Args.string({required: true, ignoreStdin: true, description: 'job name'}),
  }

  static override flags = {
    timeout: Flags.integer({min: 1, default: DEFAULT_WAIT_SECONDS, summary: 'seconds to wait before giving up'}),
  }

  async run(): Promise<ReturnType<typeof waitJson>> {
    const {args, flags} = await this.parse(JobsWait)
    const client = this.jobsClient()
    const result = await waitForJob({
      name: args.name,
      timeoutSeconds: flags.timeout,
      client,
      json: this.jsonEnabled(),
      mustExist: true,
      onPoll(job) {
        // Only one-off jobs ever complete; waiting for the others would always time out.
        if (job.job_type !== 'one-off' && job.job_type !== undefined) {
          throw new UserError(`job '${args.name}' is a ${job.job_type} job; only one-off jobs can be waited for`)
        }
      },
    })
    const output = waitJson(result)
    const error = await waitError(result, args.name, flags.timeout, this.toolContext().tool)
    if (!error) {
      this.printer.info(`job '${args.name}' completed`)
      return output
    }

    if (this.jsonEnabled()) this.logJson(output)
    throw error
  }
}
