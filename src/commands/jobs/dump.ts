import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {checkDumpTarget, type DumpEntry, jobToDumpEntry, renderDump, writeFileAtomic} from '../../jobs/dump.js'

export default class JobsDump extends BaseCommand {
  static override summary = 'Dump all defined jobs in YAML format, suitable for a later `load` operation.'
  static override description = [
    'Only the options that were set when each job was created are written, so the jobs keep following the',
    'platform defaults when loaded again. With --to-file the file is replaced atomically: if anything goes',
    'wrong the previous file is kept. Only a file whose folder cannot be written to is rewritten in place.',
  ].join('\n')

  static override enableJsonFlag = true
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> -f jobs.yaml',
    '<%= config.bin %> <%= command.id %> --json',
  ]

  static override flags = {
    'to-file': Flags.string({char: 'f', summary: 'write YAML dump to given file'}),
  }

  /** Without -f the YAML goes to stdout, usually into a file: API messages must not end up in it. */
  protected override stdoutCarriesData(): boolean {
    return true
  }

  async run(): Promise<DumpEntry[]> {
    const {flags} = await this.parse(JobsDump)
    const file = flags['to-file']
    if (file !== undefined) await checkDumpTarget(file)
    const jobs = await this.jobsClient().list({includeUnset: false})
    const {tool} = this.toolContext()
    const warn = (message: string) => this.printer.warn(message)
    const entries = jobs
      .map((job) => jobToDumpEntry(job, {tool, warn, toolDataDir: process.env.TOOL_DATA_DIR}))
      .filter((entry): entry is DumpEntry => entry !== undefined)
    if (entries.length === 0) {
      this.printer.warn(`no jobs defined${file ? `, file ${file} will not be created` : ''}`)
      return []
    }

    const yaml = renderDump(entries)
    if (file) await writeFileAtomic(file, yaml)
    else if (!this.jsonEnabled()) process.stdout.write(yaml)
    return entries
  }
}
