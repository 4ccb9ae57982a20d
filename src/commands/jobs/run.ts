import {Args, Flags} from '@oclif/core'

import type {DefinedJob} from '../../api/jobs-types.js'
import {BaseCommand} from '../../base-command.js'
import {createJob} from '../../jobs/create.js'
import {DEFAULT_WAIT_SECONDS, type JobOptions} from '../../jobs/payload.js'
import {prepareWaitArgv, upstreamUsageError} from '../../jobs/run-argv.js'
import {EMAIL_CHOICES, MOUNT_CHOICES, RETRY_CHOICES, validateJobOptions} from '../../jobs/validate.js'
import {waitError, waitForJob, waitJson} from '../../jobs/wait.js'
import {resolveIdentity} from '../../config/identity.js'
import {identityFlags} from '../../flags.js'
import {printRendered, renderJobs} from '../../jobs/render.js'

// Help texts are upstream's (jobs.md Appendix A), with Q-JOBS-13's doubled word fixed.
export default class JobsRun extends BaseCommand {
  static override summary = 'Run a new job of your own in Toolforge.'
  static override description = [
    'A job is one-off by default, scheduled with --schedule, or continuous with --continuous.',
    'The same options, without the leading dashes, are the keys of a jobs.yaml file for `jobs load`.',
    '--wait may be given without a value (600 seconds) or followed by a number of seconds.',
  ].join('\n')

  static override enableJsonFlag = true
  static override examples = [
    '<%= config.bin %> <%= command.id %> myjob --command ./mycommand.sh --image python3.11',
    '<%= config.bin %> <%= command.id %> myjob --command "./mycommand.sh --witharguments" --image python3.11 --wait',
    '<%= config.bin %> <%= command.id %> nothing --command "sleep 600" --image python3.11 --wait 630',
    '<%= config.bin %> <%= command.id %> mycronjob --command ./daily.sh --image python3.11 --schedule @daily --timeout 3600',
    '<%= config.bin %> <%= command.id %> mybot --command ./bot.py --image python3.11 --continuous --port 8080 --health-check-http /healthz --replicas 2 --mem 1Gi',
  ]

  static override args = {
    name: Args.string({required: true, ignoreStdin: true, description: 'new job name'}),
  }

  static override flags = {
    command: Flags.string({required: true, summary: 'full path of command to run in this job'}),
    image: Flags.string({required: true, summary: 'image shortname (check them with `images`)'}),
    'no-filelog': Flags.boolean({summary: 'disable redirecting job output to files in the home directory', exclusive: ['filelog']}),
    filelog: Flags.boolean({summary: 'explicitly enable file logs on jobs using a build service created image', exclusive: ['no-filelog']}),
    'filelog-stdout': Flags.string({char: 'o', summary: 'location to store stdout logs for this job'}),
    'filelog-stderr': Flags.string({char: 'e', summary: 'location to store stderr logs for this job'}),
    retry: Flags.option({options: RETRY_CHOICES.map(String), summary: 'specify the retry policy of failed jobs.'})(),
    mem: Flags.string({summary: 'specify additional memory limit required for this job'}),
    cpu: Flags.string({summary: 'specify additional CPU limit required for this job'}),
    emails: Flags.option({
      options: EMAIL_CHOICES,
      summary: "specify if the system should email notifications about this job. (default: 'none')",
    })(),
    mount: Flags.option({
      options: MOUNT_CHOICES,
      summary: "specify which shared storage (NFS) directories to mount to this job. (default: 'none' on build service images, 'all' otherwise)",
    })(),
    timeout: Flags.integer({summary: "timeout in seconds for a scheduled job before it's stopped"}),
    schedule: Flags.string({summary: "run a job with a cron-like schedule (example '1 * * * *')", exclusive: ['continuous', 'wait']}),
    continuous: Flags.boolean({summary: 'run a continuous job', exclusive: ['schedule', 'wait']}),
    wait: Flags.integer({
      summary: `wait for a one-off job to complete, optionally specify a value to override default timeout of ${DEFAULT_WAIT_SECONDS}s`,
      helpValue: '[SECONDS]',
      exclusive: ['schedule', 'continuous'],
    }),
    'health-check-script': Flags.string({summary: 'specify a health check command to run on the job if any.', exclusive: ['health-check-http']}),
    'health-check-http': Flags.string({summary: 'specify a health check endpoint to query on the job if any.', exclusive: ['health-check-script']}),
    port: Flags.string({
      char: 'p',
      summary: 'specify the port and port-protocol to expose for continuous job. Defaults to tcp if protocol is omitted (example 8080, 8080/tcp, 8080/udp)',
    }),
    replicas: Flags.integer({summary: 'specify the number of job replicas to be used. only valid for continuous jobs'}),
    publish: Flags.boolean({
      summary: 'expose this continuous job to the internet at https://<tool>.toolforge.org (needs a tcp --port; one published job per tool)',
    }),
    'dry-run': Flags.boolean({
      summary: 'print the Kubernetes objects this job would create, checked against the pod policy, and send nothing',
    }),
    tool: {...identityFlags.tool, dependsOn: ['dry-run']},
    uid: {...identityFlags.uid, dependsOn: ['dry-run']},
  }

  async run(): Promise<{job: DefinedJob | undefined; wait?: ReturnType<typeof waitJson>} | unknown[]> {
    const argv = prepareWaitArgv(this.argv, JobsRun.flags)
    let parsed
    try {
      parsed = await this.parse(JobsRun, argv)
    } catch (error) {
      throw upstreamUsageError(error, argv)
    }

    const {args, flags} = parsed
    const options: JobOptions = {
      name: args.name,
      command: flags.command,
      image: flags.image,
      filelog: flags.filelog || undefined,
      noFilelog: flags['no-filelog'] || undefined,
      filelogStdout: flags['filelog-stdout'],
      filelogStderr: flags['filelog-stderr'],
      retry: flags.retry === undefined ? undefined : Number(flags.retry),
      mem: flags.mem,
      cpu: flags.cpu,
      emails: flags.emails,
      mount: flags.mount,
      timeout: flags.timeout,
      schedule: flags.schedule,
      continuous: flags.continuous || undefined,
      wait: flags.wait,
      healthCheckScript: flags['health-check-script'],
      healthCheckHttp: flags['health-check-http'],
      port: flags.port,
      replicas: flags.replicas,
      publish: flags.publish || undefined,
    }
    const {payload, wait} = validateJobOptions(options)
    if (flags['dry-run']) {
      const identity = await resolveIdentity({tool: flags.tool, uid: flags.uid})
      return printRendered(await renderJobs([payload], identity), {json: this.jsonEnabled(), print: (text) => this.print(text)})
    }

    const client = this.jobsClient()
    // A 409 carries the API's `A job with the name <name> already exists`.
    const {job, note} = await createJob(client, payload)
    if (note) this.printer.warn(note)
    if (wait === undefined) return {job}

    const result = await waitForJob({name: payload.name, timeoutSeconds: wait, client, json: this.jsonEnabled()})
    const output = {job, wait: waitJson(result)}
    const error = await waitError(result, payload.name, wait, this.toolContext().tool)
    if (!error) {
      this.printer.info(`job '${payload.name}' completed`)
      return output
    }

    // With --json the outcome is still data on stdout; the error itself goes to stderr.
    if (this.jsonEnabled()) this.logJson(output)
    throw error
  }
}
