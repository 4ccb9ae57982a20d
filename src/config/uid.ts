// The tool account's uid, which generated pods must run as (pod-security.md §1): the passwd entry of
// `<project>.<tool>`, project from /etc/wmcs-project. On Toolforge hosts accounts come from LDAP through
// sssd, which only NSS sees, so `getent` is asked first; /etc/passwd covers machines without getent and
// local test setups.

import {execFile} from 'node:child_process'
import {readFile} from 'node:fs/promises'

export const DEFAULT_PROJECT = 'tools'

export interface UidLookupOptions {
  /** WMCS project; read from `projectFile` when absent. */
  project?: string
  /** Default /etc/wmcs-project. */
  projectFile?: string
  /** Default /etc/passwd. */
  passwdFile?: string
  /** getent executable, or false to skip NSS. Default `getent` from PATH. */
  getent?: string | false
  /** Milliseconds before giving up on getent (sssd can hang). Default 5000. */
  timeoutMs?: number
}

// Account names never contain these; refusing them keeps the passwd parsing unambiguous.
const UNSAFE_NAME = /[:\n\r\0]/

/** First line of the project file, or `tools` when it is missing or empty. */
export async function readProject(projectFile = '/etc/wmcs-project'): Promise<string> {
  try {
    const first = (await readFile(projectFile, 'utf8')).split('\n', 1)[0].trim()
    return first === '' ? DEFAULT_PROJECT : first
  } catch {
    return DEFAULT_PROJECT
  }
}

/** The uid in a passwd line (`name:x:uid:gid:gecos:home:shell`) for `name`, if it is that line. */
export function parsePasswdLine(line: string, name: string): number | undefined {
  const fields = line.split(':')
  if (fields.length < 4 || fields[0] !== name) return undefined
  const text = fields[2]
  if (!/^\d+$/.test(text)) return undefined
  const uid = Number(text)
  return Number.isSafeInteger(uid) ? uid : undefined
}

function getentUid(getent: string, name: string, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile(getent, ['passwd', name], {timeout: timeoutMs, encoding: 'utf8'}, (error, stdout) => {
      // Exit status 2 means "not found"; any other failure (missing binary, timeout) means "unknown".
      if (error) return resolve(undefined)
      resolve(parsePasswdLine(stdout.split('\n', 1)[0], name))
    })
  })
}

async function passwdFileUid(file: string, name: string): Promise<number | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return undefined
  }
  for (const line of text.split('\n')) {
    const uid = parsePasswdLine(line, name)
    if (uid !== undefined) return uid
  }
  return undefined
}

/** uid of `<project>.<tool>`, or undefined when no account is found. */
export async function lookupToolUid(tool: string, opts: UidLookupOptions = {}): Promise<number | undefined> {
  const project = opts.project ?? (await readProject(opts.projectFile))
  const name = `${project}.${tool}`
  if (tool === '' || UNSAFE_NAME.test(name)) return undefined

  const getent = opts.getent ?? 'getent'
  if (getent !== false) {
    const uid = await getentUid(getent, name, opts.timeoutMs ?? 5000)
    if (uid !== undefined) return uid
  }
  return passwdFileUid(opts.passwdFile ?? '/etc/passwd', name)
}
