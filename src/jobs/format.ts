import type {DefinedJob} from '../api/jobs-types.js'

// Human renderings of a job, as upstream's job_prepare_for_output (jobs.md §2.4).

export const NORMAL_COLUMNS = ['Job name:', 'Job type:', 'Status:'] as const
export const LONG_COLUMNS = [
  'Job name:', 'Command:', 'Job type:', 'Image:', 'Port:', 'File log:', 'Output log:', 'Error log:', 'Emails:',
  'Resources:', 'Replicas:', 'Mounts:', 'Retry:', 'Timeout:', 'Health check:', 'Status:',
] as const

type Column = (typeof LONG_COLUMNS)[number]

const UNKNOWN = 'Unknown'

function jobType(job: DefinedJob): string {
  if (job.job_type === 'scheduled' || job.schedule) return `schedule: ${job.schedule ?? UNKNOWN}`
  if (job.job_type === 'webservice') return 'webservice'
  if (job.job_type === 'continuous' || job.continuous) return 'continuous'
  return job.job_type === 'one-off' ? 'one-off' : UNKNOWN
}

function resources(job: DefinedJob): string {
  // Q-JOBS-07 kept: the API returns these exact normalised strings for its defaults.
  const mem = job.memory ?? '0.5Gi'
  const cpu = job.cpu ?? '0.1'
  if (mem === '0.5Gi' && cpu === '0.1') return 'default'
  return `mem: ${mem === '0.5Gi' ? 'default' : mem}, cpu: ${cpu === '0.1' ? 'default' : cpu}`
}

function port(job: DefinedJob): string {
  if (job.job_type === 'webservice' && !job.port) return 'N/A'
  if (job.port === undefined || job.port === null) return 'none'
  return `${job.port}/${job.port_protocol ?? 'tcp'}`
}

function healthCheck(job: DefinedJob): string {
  const hc = job.health_check
  if (!hc) return 'none'
  return hc.type === 'script' ? `script: ${hc.script}` : `http: ${hc.path}`
}

function image(job: DefinedJob): string {
  const name = job.imagename ?? job.image
  if (name === undefined) return UNKNOWN
  return job.image_state && job.image_state !== 'stable' ? `${name} (${job.image_state})` : name
}

const CELLS: Record<Column, (job: DefinedJob) => string> = {
  'Job name:': (j) => j.name ?? UNKNOWN,
  'Command:': (j) => j.cmd ?? UNKNOWN,
  'Job type:': jobType,
  'Image:': image,
  'Port:': port,
  'File log:': (j) => (j.filelog === undefined ? UNKNOWN : j.filelog ? 'yes' : 'no'),
  'Output log:': (j) => (j.filelog ? j.filelog_stdout ?? '' : ''),
  'Error log:': (j) => (j.filelog ? j.filelog_stderr ?? '' : ''),
  'Emails:': (j) => j.emails ?? UNKNOWN,
  'Resources:': resources,
  'Replicas:': (j) => (j.replicas === undefined || j.replicas === null ? '' : String(j.replicas)),
  'Mounts:': (j) => j.mount ?? UNKNOWN,
  'Retry:': (j) => (j.retry ? `yes: ${j.retry} time(s)` : 'no'),
  'Timeout:': (j) => (j.timeout ? `yes: ${j.timeout}s` : 'no'),
  'Health check:': healthCheck,
  'Status:': (j) => j.status_short ?? UNKNOWN,
}

export function jobRow(job: DefinedJob, columns: readonly Column[]): string[] {
  return columns.map((column) => CELLS[column](job))
}

/** Public URL of a published job, when the API says it is published. */
export function publicUrl(job: DefinedJob, tool: string, domain = 'toolforge.org'): string | undefined {
  if (job.publish !== '/' && job.job_type !== 'webservice') return undefined
  return job.publish_url ?? `https://${tool}.${domain}`
}

/** textwrap.fill(width=70): greedy word wrap. */
export function wrap(text: string, width = 70): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line ? `${line} ${word}` : word
    }
  }

  if (line) lines.push(line)
  return lines.join('\n')
}

/** Rows of `jobs show` (and of the table printed when --wait sees a failure). */
export function showRows(job: DefinedJob, tool: string): [string, string][] {
  const rows: [string, string][] = LONG_COLUMNS.map((column) => [column, CELLS[column](job)])
  const url = publicUrl(job, tool)
  if (url) rows.push(['Public:', url])
  rows.push(['Hints:', wrap(job.status_long ?? '')])
  return rows
}
