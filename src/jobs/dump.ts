import {randomBytes} from 'node:crypto'
import {type Stats, writeSync} from 'node:fs'
import {chmod, type FileHandle, open, realpath, rename, rm, stat, writeFile} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {stringify} from 'yaml'

import {UserError} from '../api/errors.js'
import type {DefinedJob} from '../api/jobs-types.js'
import {isBuildserviceImage} from './payload.js'

// `jobs dump` (jobs.md §4.3): the jobs as `GET /jobs?include_unset=false` returns them (only what the user
// set), turned back into jobs.yaml entries that `jobs load` accepts and that load to the same requests.

/** A jobs.yaml entry: the `run` options without the leading dashes. */
export type DumpEntry = Record<string, string | number | boolean>

// Response fields that are not options and are left out without a word (upstream warned about e.g.
// `job_type` on every job); the ones mapped to options are handled in jobToDumpEntry.
const SILENT_KEYS = new Set([
  'name', 'cmd', 'imagename', 'image', 'image_state', 'job_type', 'status', 'status_short', 'status_long', 'schedule_actual',
  'continuous', 'schedule', 'timeout', 'memory', 'cpu', 'filelog', 'filelog_stdout', 'filelog_stderr', 'mount', 'retry',
  'emails', 'replicas', 'port', 'port_protocol', 'health_check', 'publish',
])

const present = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null

/**
 * Log paths relative to the tool home, as the API resolves relative paths against it; the default
 * `<home>/<name>.out|err` is left out altogether.
 */
function logPath(path: string, name: string, suffix: 'out' | 'err', homes: string[]): string | undefined {
  for (const home of homes) {
    if (path === `${home}/${name}.${suffix}`) return undefined
  }

  for (const home of homes) {
    if (path.startsWith(`${home}/`) && path.length > home.length + 1) return path.slice(home.length + 1)
  }

  return path
}

/** The jobs.yaml entry for a job, or undefined (with a warning) for a job type jobs.yaml cannot describe. */
export function jobToDumpEntry(job: DefinedJob, opts: {tool: string; warn?: (message: string) => void; toolDataDir?: string}): DumpEntry | undefined {
  const image = job.imagename ?? job.image ?? ''
  const buildservice = isBuildserviceImage(image)
  const jobType = job.job_type ?? (job.continuous ? 'continuous' : present(job.schedule) ? 'scheduled' : 'one-off')
  if (jobType !== 'one-off' && jobType !== 'scheduled' && jobType !== 'continuous') {
    // e.g. the `webservice` jobs of a 2026 API branch, which `run`/`load` cannot create.
    opts.warn?.(`job '${job.name}' is a ${jobType} job, which a jobs file cannot describe; omitting it from dump`)
    return undefined
  }

  const entry: DumpEntry = {name: job.name, command: job.cmd, image}

  if (jobType === 'scheduled' && present(job.schedule)) {
    entry.schedule = job.schedule
    if (present(job.timeout)) entry.timeout = job.timeout
  }

  if (jobType === 'continuous') {
    // From job_type too: with include_unset=false `continuous` is only there if the client sent it.
    entry.continuous = true
    if (present(job.replicas)) entry.replicas = job.replicas
    // Q-JOBS-11 fixed: the port is kept without a port_protocol (the bare number); `<port>/<proto>` otherwise.
    if (present(job.port)) entry.port = job.port_protocol ? `${job.port}/${job.port_protocol}` : job.port
    if (job.health_check?.type === 'script') entry['health-check-script'] = job.health_check.script
    if (job.health_check?.type === 'http') entry['health-check-http'] = job.health_check.path
    if (job.publish === '/') entry.publish = true
  }

  // File logs only when not the image type's default. Written as booleans: upstream wrote the strings
  // "yes"/"true", which its own `load` then warns are deprecated.
  const filelog = job.filelog ?? !buildservice
  if (filelog !== !buildservice) {
    if (filelog) entry.filelog = true
    else entry['no-filelog'] = true
  }

  if (filelog) {
    const homes = [`/data/project/${opts.tool}`]
    const dataDir = opts.toolDataDir?.replace(/\/+$/, '')
    if (dataDir && !homes.includes(dataDir)) homes.push(dataDir)
    const stdout = present(job.filelog_stdout) ? logPath(job.filelog_stdout, job.name, 'out', homes) : undefined
    const stderr = present(job.filelog_stderr) ? logPath(job.filelog_stderr, job.name, 'err', homes) : undefined
    if (stdout !== undefined) entry['filelog-stdout'] = stdout
    if (stderr !== undefined) entry['filelog-stderr'] = stderr
  }

  if (present(job.mount) && job.mount !== (buildservice ? 'none' : 'all')) entry.mount = job.mount
  if (present(job.retry) && job.retry !== 0) entry.retry = job.retry
  if (present(job.emails) && job.emails !== 'none') entry.emails = job.emails
  if (present(job.memory)) entry.mem = job.memory
  if (present(job.cpu)) entry.cpu = job.cpu

  for (const key of Object.keys(job)) {
    if (!SILENT_KEYS.has(key)) opts.warn?.(`unexpected key '${key}' in job, omitting it from dump`)
  }

  return entry
}

/**
 * YAML like PyYAML's `yaml.dump` (sorted keys, block style, single quotes), as YAML 1.1 so strings that
 * 1.1 would read as booleans or numbers (`'yes'`, `'0755'`) are quoted; long commands are not folded.
 */
export function renderDump(entries: DumpEntry[]): string {
  return stringify(entries, {version: '1.1', sortMapEntries: true, lineWidth: 0, singleQuote: true})
}

function inheritedDescriptor(path: string): number | undefined {
  if (path === '/dev/stdout') return 1
  if (path === '/dev/stderr') return 2
  const match = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/.exec(path)
  return match ? Number(match[1]) : undefined
}

function writeToDescriptor(path: string, fd: number, data: string): void {
  try {
    const bytes = Buffer.from(data, 'utf8')
    // A pipe may take a write in parts, or (non-blocking, full) none for a moment.
    for (let done = 0; done < bytes.length; ) {
      try {
        done += writeSync(fd, bytes, done)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error
      }
    }
  } catch (error) {
    throw writeError(path, error)
  }
}

async function writeInPlace(path: string, target: string, data: string): Promise<void> {
  try {
    await writeFile(target, data, 'utf8')
  } catch (error) {
    throw writeError(path, error)
  }
}

export interface AtomicWriteIo {
  /** Creates the temporary file; replaceable so tests can make it fail as a read-only directory would. */
  createTemp(path: string): Promise<FileHandle>
}

const defaultIo: AtomicWriteIo = {createTemp: (path) => open(path, 'wx', 0o666)}

// The temporary file could not be created because the directory is not ours to write in.
const DIRECTORY_REFUSED = new Set(['EACCES', 'EPERM'])

/**
 * Replaces `path` atomically: a temporary file in the same directory is written, flushed to disk and
 * renamed over the target, so readers see the old or the new file, never half of one; on any failure
 * the old file is left as it was. A symlink is followed and its target replaced; an existing file's mode
 * is kept. An existing file in a directory where no file can be created (a shared tool directory that
 * only grants write access to the file) is written in place instead: not atomic, but what the user
 * asked for, where the atomic way cannot be had.
 */
export async function writeFileAtomic(path: string, data: string, io: AtomicWriteIo = defaultIo): Promise<void> {
  // /dev/stdout, /dev/fd/N, /proc/self/fd/N name a descriptor this process already has: a pipe (whose
  // real path does not exist), a terminal, or a file the shell opened with other output around ours.
  // Written through that descriptor, so the output lands where the shell's own writes continue;
  // never resolved, truncated or replaced.
  const fd = inheritedDescriptor(resolve(path))
  if (fd !== undefined) return writeToDescriptor(path, fd, data)
  let target = path
  let existing: Stats | undefined
  try {
    target = await realpath(path)
    existing = await stat(target)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw writeError(path, error)
  }

  // /dev/null, /dev/stdout, a FIFO: written to as they are. Renaming over one would replace the
  // device with a plain file (as root) or fail (anyone else).
  if (existing && !existing.isFile()) return writeInPlace(path, target, data)
  const mode = existing ? existing.mode & 0o7777 : undefined

  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  let handle: FileHandle
  try {
    handle = await io.createTemp(temp)
  } catch (error) {
    if (existing && DIRECTORY_REFUSED.has((error as NodeJS.ErrnoException).code ?? '')) return writeInPlace(path, target, data)
    throw writeError(path, error)
  }

  try {
    try {
      await handle.writeFile(data, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }

    if (mode !== undefined) await chmod(temp, mode)
    await rename(temp, target)
  } catch (error) {
    await rm(temp, {force: true})
    throw writeError(path, error)
  }

  // Make the rename itself durable; not every filesystem lets a directory be opened for this.
  try {
    const dir = await open(dirname(target), 'r')
    try {
      await dir.sync()
    } finally {
      await dir.close()
    }
  } catch {
    // best effort
  }
}

/**
 * What can be known about the target before asking the API anything: a dump that cannot be written
 * should fail at once, not after the jobs were fetched (and with a server error if the API is down).
 */
export async function checkDumpTarget(path: string): Promise<void> {
  if (path.trim() === '') throw new UserError('--to-file must not be empty')
  const target = await stat(path).catch(() => undefined)
  if (target?.isDirectory()) throw new UserError(`Unable to write '${path}': it is a directory`)
  const folder = await stat(dirname(resolve(path))).catch((error: unknown) => {
    throw writeError(path, error)
  })
  if (!folder.isDirectory()) throw new UserError(`Unable to write '${path}': no such directory`)
}

function writeError(path: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' || code === 'ENOTDIR' ? 'no such directory' : code ?? String(error)
  return new UserError(`Unable to write '${path}': ${reason}`)
}
