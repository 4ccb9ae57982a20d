import {spawn} from 'node:child_process'
import {closeSync, readFileSync} from 'node:fs'
import {constants as osConstants} from 'node:os'

import {type FileLog, openFileLog} from './filelog.js'

export type OutputSink = {file: FileLog} | {lines: (line: string) => void}

export interface SpawnOptions {
  command: string
  cwd: string
  env: Record<string, string>
  stdout: OutputSink
  stderr: OutputSink
}

export interface Exit {
  /** The container exit code: the shell's, or 128 + signal number like a container runtime reports. */
  code: number
  signal: NodeJS.Signals | null
}

export interface ProcessHandle {
  pid: number
  /** Kernel start time of the process (from /proc), to tell our process from a recycled pid later. */
  pidStart: string | null
  exited: Promise<Exit>
  /** Signal the whole process group: the shell and everything it started. */
  signal(sig: NodeJS.Signals): void
  /** SIGTERM, then SIGKILL after `graceMs` (terminationGracePeriodSeconds); resolves once it is gone. */
  stop(graceMs: number): Promise<Exit>
}

export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 22 (starttime); the command name in field 2 may contain spaces, so count from its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return fields[19] ?? null
  } catch {
    return null
  }
}

/** Kills a process group left behind by an earlier sandbox process, if it is still the same one. */
export function killStaleGroup(pid: number, pidStart: string | null): void {
  if (pidStart === null || processStartTime(pid) !== pidStart) return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

function lineSplitter(onLine: (line: string) => void): {push(chunk: Buffer): void; flush(): void} {
  let pending = ''
  return {
    push(chunk) {
      pending += chunk.toString('utf8')
      let nl = pending.indexOf('\n')
      while (nl !== -1) {
        onLine(pending.slice(0, nl).replace(/\r$/, ''))
        pending = pending.slice(nl + 1)
        nl = pending.indexOf('\n')
      }
    },
    flush() {
      if (pending !== '') onLine(pending)
      pending = ''
    },
  }
}

/**
 * Runs `command` under /bin/sh -c like a jobs-api container does, in its own process group so that
 * everything the command starts can be signalled together. File sinks are opened in append mode
 * (`exec 1>>file`), never truncated; one that cannot be opened throws, and nothing runs.
 */
export function spawnContainer(opts: SpawnOptions): ProcessHandle {
  const fds: number[] = []
  const stdio = (sink: OutputSink): number | 'pipe' => {
    if ('file' in sink) {
      const fd = openFileLog(sink.file)
      fds.push(fd)
      return fd
    }
    return 'pipe'
  }
  let child
  try {
    child = spawn('/bin/sh', ['-c', '--', opts.command], {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['ignore', stdio(opts.stdout), stdio(opts.stderr)],
    })
  } finally {
    for (const fd of fds) closeSync(fd)
  }

  const splitters: Array<{flush(): void}> = []
  for (const [stream, sink] of [[child.stdout, opts.stdout], [child.stderr, opts.stderr]] as const) {
    if (stream && 'lines' in sink) {
      const splitter = lineSplitter(sink.lines)
      splitters.push(splitter)
      stream.on('data', (chunk: Buffer) => splitter.push(chunk))
    }
  }

  const pid = child.pid ?? -1
  const signalGroup = (sig: NodeJS.Signals): void => {
    if (pid <= 0) return
    try {
      process.kill(-pid, sig)
    } catch {
      // The group is already gone.
    }
  }

  const exited = new Promise<Exit>((resolve) => {
    let result: Exit | undefined
    const finish = (): void => {
      for (const s of splitters) s.flush()
      resolve(result ?? {code: 127, signal: null})
    }
    child.on('error', () => {
      result = {code: 127, signal: null}
      finish()
    })
    child.on('exit', (code, signal) => {
      const signo = signal ? osConstants.signals[signal] ?? 9 : 0
      result = {code: code ?? 128 + signo, signal}
      // A container ends with its main process: whatever it left running goes too. That also closes
      // the pipes so the remaining output is read before the exit is reported.
      signalGroup('SIGKILL')
      setTimeout(finish, 2000).unref()
    })
    child.on('close', () => {
      if (result) finish()
    })
  })

  return {
    pid,
    pidStart: pid > 0 ? processStartTime(pid) : null,
    exited,
    signal: signalGroup,
    async stop(graceMs) {
      signalGroup('SIGTERM')
      let timer: NodeJS.Timeout | undefined
      const killed = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          signalGroup('SIGKILL')
          resolve()
        }, graceMs)
      })
      await Promise.race([exited, killed])
      const exit = await exited
      clearTimeout(timer)
      // The shell may be gone while children it started in the background are not.
      signalGroup('SIGKILL')
      return exit
    },
  }
}
