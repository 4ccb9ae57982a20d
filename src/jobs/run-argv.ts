import {Errors} from '@oclif/core'

import {DEFAULT_WAIT_SECONDS} from './payload.js'

// `run --wait [SECONDS]`: argparse's optional-value flag (nargs="?", const=600), which oclif cannot
// express. The argv is rewritten before oclif parses it: `--wait 60` → `--wait=60`, bare `--wait` →
// `--wait=600`.
//
// Q-JOBS-10 fixed deliberately: upstream takes whatever follows `--wait` as its value, so
// `run --wait myjob --command …` fails with `invalid int value: 'myjob'`. Here only a plain number is
// taken as the value; anything else stays where it is (`myjob` is the job name). A token that starts
// like a number but is not one (`10m`, `1.5`) is refused instead of silently becoming the job name.

const ANSI = /\u001B\[[0-9;]*m/g

export interface FlagShape {
  type: 'boolean' | 'option'
  char?: string
}

/** Rewrites `--wait` occurrences; `flags` tells which other options consume the next token. */
export function prepareWaitArgv(argv: readonly string[], flags: Readonly<Record<string, FlagShape>>): string[] {
  const takesValue = new Set<string>()
  for (const [name, flag] of Object.entries(flags)) {
    if (flag.type !== 'option' || name === 'wait') continue
    takesValue.add(`--${name}`)
    if (flag.char) takesValue.add(`-${flag.char}`)
  }

  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]
    if (token === '--') {
      out.push(...argv.slice(i))
      break
    }

    if (takesValue.has(token)) {
      out.push(token)
      if (i + 1 < argv.length) out.push(argv[++i])
      continue
    }

    if (token !== '--wait') {
      out.push(token)
      continue
    }

    const next = argv[i + 1]
    if (next !== undefined && /^\d+$/.test(next)) {
      out.push(`--wait=${next}`)
      i++
    } else if (next !== undefined && /^[-+]?\d/.test(next)) {
      throw new Errors.CLIError(
        `argument --wait: invalid value: '${next}' (a whole number of seconds; write the job name before --wait, or --wait=SECONDS)`,
        {exit: 2},
      )
    } else {
      out.push(`--wait=${DEFAULT_WAIT_SECONDS}`)
    }
  }

  return out
}

/**
 * oclif's wording for missing required flags and exclusive flags, rewritten to upstream's argparse
 * messages (jobs.md §2.3); any other parse error is returned unchanged. Still a usage error (exit 2).
 */
export function upstreamUsageError(error: unknown, argv: readonly string[]): unknown {
  if (!(error instanceof Errors.CLIError) || !error.message.startsWith('The following error')) return error
  const reasons = error.message
    .replace(ANSI, '')
    .replace(/\nSee more help with --help$/, '')
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter(Boolean)
  const position = (flag: string) => {
    const index = argv.findIndex((token) => token === `--${flag}` || token.startsWith(`--${flag}=`))
    return index === -1 ? Number.MAX_SAFE_INTEGER : index
  }

  const missing: string[] = []
  const conflicts = new Map<string, string>()
  for (const reason of reasons) {
    const required = /^Missing required flag (\S+)$/.exec(reason)
    const exclusive = /^--([\w-]+)(?:=.*)? cannot also be provided when using --([\w-]+)$/.exec(reason)
    if (required) {
      missing.push(`--${required[1]}`)
    } else if (exclusive) {
      // argparse names the later of the two arguments first.
      const [first, second] = [exclusive[1], exclusive[2]].sort((a, b) => position(a) - position(b))
      conflicts.set(`${first} ${second}`, `argument --${second}: not allowed with argument --${first}`)
    } else {
      return error
    }
  }

  const messages = [...conflicts.values()]
  if (missing.length > 0) messages.push(`the following arguments are required: ${missing.join(', ')}`)
  return new Errors.CLIError(messages.join('\n'), {exit: 2})
}
