// Matching an already expanded and validated schedule (schedule_actual) against wall-clock minutes,
// in UTC like the cluster's controller-manager (Q-K8S-04).

const RANGES: Array<[number, number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 6]]
const DOW_NAMES: Record<string, number> = {sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6}

export interface CronSpec {
  sets: Array<Set<number>>
  domRestricted: boolean
  dowRestricted: boolean
}

function parseField(text: string, index: number): Set<number> {
  const [min, max] = RANGES[index]
  const values = new Set<number>()
  const num = (s: string): number => {
    if (index === 4 && s in DOW_NAMES) return DOW_NAMES[s]
    const n = Number.parseInt(s, 10)
    return index === 4 && n === 7 ? 0 : n
  }
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/')
    const step = stepText ? Number.parseInt(stepText, 10) : 1
    let start = min
    let end = max
    if (range !== '*') {
      if (range.includes('-')) {
        const [a, b] = range.split('-')
        start = num(a)
        end = num(b)
      } else {
        start = num(range)
        // `a/n` runs from a to the end of the range; a bare `a` is just a.
        end = stepText ? max : start
      }
    }
    for (let v = start; v <= end; v += step) values.add(v)
  }
  return values
}

export function parseCron(expanded: string): CronSpec {
  const parts = expanded.trim().toLowerCase().split(/\s+/)
  return {
    sets: parts.slice(0, 5).map((p, i) => parseField(p, i)),
    domRestricted: parts[2] !== '*',
    dowRestricted: parts[4] !== '*',
  }
}

function dayMatches(spec: CronSpec, d: Date): boolean {
  const dom = spec.sets[2].has(d.getUTCDate())
  const dow = spec.sets[4].has(d.getUTCDay())
  // Vixie cron: when both day fields are restricted, either may match.
  if (spec.domRestricted && spec.dowRestricted) return dom || dow
  return dom && dow
}

export function cronMatches(spec: CronSpec, d: Date): boolean {
  return spec.sets[0].has(d.getUTCMinutes()) && spec.sets[1].has(d.getUTCHours()) &&
    spec.sets[3].has(d.getUTCMonth() + 1) && dayMatches(spec, d)
}

const MINUTE = 60_000

/** The first matching minute strictly after `after`, within five years; undefined if none. */
export function nextCronTime(spec: CronSpec, after: Date): Date | undefined {
  const t = new Date(Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE)
  const limit = after.getTime() + 5 * 366 * 24 * 60 * MINUTE
  while (t.getTime() < limit) {
    if (!spec.sets[3].has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1)
      t.setUTCHours(0, 0, 0, 0)
    } else if (!dayMatches(spec, t)) {
      t.setUTCDate(t.getUTCDate() + 1)
      t.setUTCHours(0, 0, 0, 0)
    } else if (!spec.sets[1].has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0)
    } else if (!spec.sets[0].has(t.getUTCMinutes())) {
      t.setTime(t.getTime() + MINUTE)
    } else {
      return t
    }
  }
  return undefined
}

/** The latest matching minute in (from, to], if any. */
export function lastCronTimeBetween(spec: CronSpec, from: Date, to: Date): Date | undefined {
  let found: Date | undefined
  let cursor = from
  for (;;) {
    const next = nextCronTime(spec, cursor)
    if (!next || next.getTime() > to.getTime()) return found
    found = next
    cursor = next
  }
}
