import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {parseJobsYaml, planLoad, readJobsFile} from '../../jobs/load.js'
import {applyJobs, type LoadResult} from '../../jobs/load-apply.js'
import {resolveIdentity} from '../../config/identity.js'
import {identityFlags} from '../../flags.js'
import {printRendered, renderJobs} from '../../jobs/render.js'

export default class JobsLoad extends BaseCommand {
  // Q-JOBS-02 fixed: upstream's help still says `load` flushes all jobs first; it has not since 2024.
  static override summary = 'Load a YAML file with job definitions and create or update those jobs.'
  static override description = [
    'Every entry is checked first, exactly like `jobs run` checks its flags; if any entry is invalid nothing is changed.',
    'Jobs are then created or updated one by one, in file order. Jobs that are not in the file are left alone.',
    'The file is a list of mappings whose keys are the `jobs run` options without the leading dashes',
    '(name, command, image, schedule, continuous, wait, mem, cpu, port, …); `toolforge jobs dump` writes one.',
    'Use - as FILE to read from standard input.',
  ].join('\n')

  static override enableJsonFlag = true
  static override examples = [
    '<%= config.bin %> <%= command.id %> jobs.yaml',
    '<%= config.bin %> <%= command.id %> jobs.yaml --job mybot',
    '<%= config.bin %> jobs dump | <%= config.bin %> <%= command.id %> -',
  ]

  static override args = {
    file: Args.string({required: true, ignoreStdin: true, description: 'path to YAML file to load (- for standard input)'}),
  }

  static override flags = {
    job: Flags.string({summary: 'load a single job only'}),
    'dry-run': Flags.boolean({
      summary: 'print the Kubernetes objects these jobs would create, checked against the pod policy, and send nothing',
    }),
    tool: {...identityFlags.tool, dependsOn: ['dry-run']},
    uid: {...identityFlags.uid, dependsOn: ['dry-run']},
  }

  async run(): Promise<LoadResult[] | unknown[]> {
    const {args, flags} = await this.parse(JobsLoad)
    const source = args.file === '-' ? '<stdin>' : args.file
    const entries = parseJobsYaml(await readJobsFile(args.file), source)
    const jobs = planLoad(entries, {source, only: flags.job, warn: (message) => this.printer.warn(message)})
    if (jobs.length === 0) {
      this.printer.warn(`no jobs defined in '${source}'`)
      return []
    }

    if (flags['dry-run']) {
      const identity = await resolveIdentity({tool: flags.tool, uid: flags.uid})
      const rendered = await renderJobs(jobs.map((job) => job.validated.payload), identity)
      return printRendered(rendered, {json: this.jsonEnabled(), print: (text) => this.print(text)})
    }

    const {results, error} = await applyJobs(jobs, {
      client: this.jobsClient(),
      printer: this.printer,
      tool: this.toolContext().tool,
      json: this.jsonEnabled(),
    })
    if (!error) return results
    // With --json the per-job results are still data on stdout; the error itself goes to stderr.
    if (this.jsonEnabled()) this.logJson(results)
    throw error
  }
}
