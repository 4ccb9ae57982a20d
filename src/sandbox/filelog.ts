// Opening a job's file log on the host. The tool home is the one place the sandbox writes for a job,
// and what is inside it is the job's to change, so a symlink there must not lead the server elsewhere.

import {constants, mkdirSync, openSync, realpathSync} from 'node:fs'
import {join, relative, sep} from 'node:path'

/** Where a file log goes: `host` is undefined when the pod path is outside the tool home. */
export interface FileLog {
  /** As the job gave it, for messages. */
  podPath: string
  host: string | undefined
  home: string
}

const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path)
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..'
}

const refuse = (log: FileLog, why: string): Error => new Error(`cannot write the file log ${log.podPath}: ${why}`)
const LEADS_OUT = 'a symlink leads out of the tool home'

/** Opens the file log for appending, creating its folders, never outside the tool home. */
export function openFileLog(log: FileLog): number {
  if (log.host === undefined || !inside(log.home, log.host)) throw refuse(log, 'it is outside the tool home')
  mkdirSync(log.home, {recursive: true})
  const home = realpathSync(log.home)
  const parts = relative(log.home, log.host).split(sep)
  let dir = log.home
  // One folder at a time: each one is known to be inside before anything is created in it.
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part)
    try {
      mkdirSync(dir)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    if (!inside(home, realpathSync(dir))) throw refuse(log, LEADS_OUT)
  }
  const file = join(dir, parts.at(-1)!)
  try {
    return openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644)
  } catch (error) {
    // Linux says ELOOP for O_NOFOLLOW on a symlink, FreeBSD EMLINK.
    if (!['ELOOP', 'EMLINK'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error
  }
  // The log file itself is a symlink: followed only to a file inside the home.
  let target: string
  try {
    target = realpathSync(file)
  } catch {
    throw refuse(log, 'it is a symlink to nothing')
  }
  if (!inside(home, target)) throw refuse(log, LEADS_OUT)
  return openSync(target, 'a')
}
