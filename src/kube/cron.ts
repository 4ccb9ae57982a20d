// Cron schedules as jobs-api accepts them (kubernetes-objects.md §3.2). Hand-written rather than built on
// an npm cron parser: the accepted syntax is deliberately narrower than standard cron (no month names, no
// `a-b/n`, names only for single day-of-week values) and the error texts are upstream's, which users and
// tests match on. Macros are expanded with CPython's seeded `random` so that a job gets the same minute
// and hour as it would on the real API (Q-K8S-02); see python-random.ts.

import {PythonRandom} from './python-random.js'

export const CRON_MACROS: Readonly<Record<string, string>> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
}

interface CronField {
  min: number
  max: number
  names?: Readonly<Record<string, string>>
}

const FIELDS: readonly CronField[] = [
  {min: 0, max: 59},
  {min: 0, max: 23},
  {min: 1, max: 31},
  {min: 1, max: 12},
  {min: 0, max: 6, names: {'7': '0', sun: '0', mon: '1', tue: '2', wed: '3', thu: '4', fri: '5', sat: '6'}},
]

export class CronError extends Error {}

// Python's int(): optional whitespace and sign, ASCII digits with single underscores between them.
const PY_INT = /^\s*[+-]?\d+(?:_\d+)*\s*$/

function pyInt(text: string): number | undefined {
  return PY_INT.test(text) ? Number(text.replaceAll('_', '')) : undefined
}

// Upstream quotes the offending *field* here, not the whole expression (only the field-count and
// macro errors quote the full schedule); kept as is since users see these texts.
function fail(quoted: string, detail: string): never {
  throw new CronError(`Unable to parse cron expression "${quoted}": ${detail}`)
}

function checkField(value: string, field: CronField): void {
  for (const item of value.split(',')) {
    let entry = item
    let step: string | undefined
    if (entry.includes('-')) {
      if (entry.includes('/')) fail(value, 'Step syntax is not supported with ranges')
    } else if (entry.includes('/')) {
      const slash = entry.indexOf('/')
      step = entry.slice(slash + 1)
      entry = entry.slice(0, slash)
    }

    if (entry.includes('-')) {
      const dash = entry.indexOf('-')
      const start = entry.slice(0, dash)
      const end = entry.slice(dash + 1)
      const s = pyInt(start)
      if (s === undefined) fail(value, `Unable to parse '${start}' as an integer`)
      const e = pyInt(end)
      if (e === undefined) fail(value, `Unable to parse '${end}' as an integer`)
      // The inverted wording is upstream's (Q-JOBS-17).
      if (s > e) fail(value, `End value ${e} must be smaller than start value ${s}`)
      if (s < field.min) fail(value, `Start value ${s} must be at least ${field.min}`)
      if (e > field.max) fail(value, `End value ${e} must be at most ${field.max}`)
    } else if (entry !== '*') {
      if (field.names && Object.hasOwn(field.names, entry)) entry = field.names[entry]
      const n = pyInt(entry)
      if (n === undefined) fail(value, `Unable to parse '${entry}' as an integer`)
      if (n < field.min || n > field.max) fail(value, `Invalid value '${entry}', expected ${field.min}-${field.max}`)
    }

    // An empty step (`*/`) is accepted, as upstream only checks a non-empty one.
    if (step) {
      const n = pyInt(step)
      if (n === undefined) fail(value, `Unable to parse '${step}' (from '${entry}') as an integer`)
      if (n === 0 || n < field.min || n > field.max) fail(value, `Invalid step value in '${entry}'`)
    }
  }
}

/** The five fields of a schedule after macro expansion; throws CronError with upstream's message. */
function parseFields(schedule: string, tool: string, jobName: string): string[] {
  if (schedule.startsWith('@')) {
    const mapped = Object.hasOwn(CRON_MACROS, schedule) ? CRON_MACROS[schedule] : undefined
    if (!mapped) {
      const supported = Object.keys(CRON_MACROS).join(', ')
      fail(schedule, `Invalid at-macro '${schedule}', supported macros are: ${supported}`)
    }
    const random = new PythonRandom(`${tool} ${jobName}`)
    return mapped.split(' ').map((part, i) => (part === '*' ? part : String(random.randint(FIELDS[i].min, FIELDS[i].max))))
  }

  const parts = schedule
    .toLowerCase()
    .split(' ')
    .filter((part) => part !== '')
  if (parts.length !== 5) fail(schedule, `Expected to find 5 space-separated values, found ${parts.length}`)
  for (let i = 0; i < 5; i++) checkField(parts[i], FIELDS[i])
  return parts
}

/**
 * The schedule written to the CronJob (`schedule_actual`): macros become a fixed minute/hour/day chosen
 * per tool and job, other expressions are lower-cased with single spaces. Throws CronError.
 */
export function expandSchedule(schedule: string, tool: string, jobName: string): string {
  return parseFields(schedule, tool, jobName).join(' ')
}

/** The upstream parse error for an invalid schedule, or undefined when it is accepted. */
export function validateCron(expr: string): string | undefined {
  try {
    // Macro expansion does not depend on the names for validity.
    parseFields(expr, '', '')
    return undefined
  } catch (error) {
    if (error instanceof CronError) return error.message
    throw error
  }
}

/** The text jobs-api answers with (HTTP 400) for a schedule it cannot parse. */
export function cronApiErrorMessage(schedule: string, cause: string): string {
  return `Unable to parse cron expression "${schedule}" (${cause})`
}
