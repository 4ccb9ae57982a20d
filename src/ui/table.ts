import type CliTable3 from 'cli-table3'

import {neutralizeControls, neutralizeControlsKeepCr} from './control-chars.js'
import {colorEnabled} from './terminal.js'

// Cells hold what the APIs sent (job names, commands, statuses, envvars): their control characters are
// neutralised, so a table can be read but cannot steer the terminal. Headers are ours and left alone.

// tabulate's "pretty"/"grid" look, which upstream users and scripts that scrape it are used to.
const ASCII_CHARS = {
  top: '-', 'top-mid': '+', 'top-left': '+', 'top-right': '+',
  bottom: '-', 'bottom-mid': '+', 'bottom-left': '+', 'bottom-right': '+',
  left: '|', 'left-mid': '+', mid: '-', 'mid-mid': '+', right: '|', 'right-mid': '+', middle: '|',
}

async function newTable(options: CliTable3.TableConstructorOptions): Promise<CliTable3.Table> {
  const {default: Table} = await import('cli-table3')
  // cli-table3 colours borders and headers even when piped or with NO_COLOR (node-stack.md §4).
  const style = colorEnabled() ? {head: ['bold'], border: []} : {head: [], border: []}
  // Cells are never cut (no fixed widths), but cli-table3 measures its truncation mark on every cell
  // anyway; its default, '…', sends each measurement through string-width's emoji checks (~2 ms).
  return new Table({chars: ASCII_CHARS, truncate: '...', style: {...style, 'padding-left': 1, 'padding-right': 1}, ...options})
}

/** A table with a header row. */
export async function renderTable(
  head: string[],
  rows: (string | number | undefined | null)[][],
  opts: {align?: 'left' | 'center'} = {},
): Promise<string> {
  const table = await newTable({
    head,
    colAligns: head.map(() => opts.align ?? 'left'),
    chars: {...ASCII_CHARS, mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': ''},
  })
  for (const row of rows) table.push(row.map((cell) => (cell === undefined || cell === null ? '' : neutralizeControls(String(cell)))))
  // tabulate rules off the header but not the rows; cli-table3 can only do both or neither.
  const lines = table.toString().split('\n')
  if (rows.length > 0) lines.splice(2, 0, lines[0])
  return lines.join('\n')
}

/** A two-column key/value table with a line between rows (tabulate "grid"), as `jobs show` prints. */
export async function renderVertical(rows: [string, string][]): Promise<string> {
  const table = await newTable({})
  for (const [key, value] of rows) table.push([key, neutralizeControls(value)])
  return table.toString()
}

/** tabulate "simple": no borders, a dashed rule under the header, columns separated by two spaces. */
export function renderSimple(head: string[], data: string[][], alignRight: boolean[] = []): string {
  const rows = data.map((row) => row.map((cell) => neutralizeControls(cell ?? '')))
  // tabulate leaves at least two spaces beside each header (its MIN_PADDING), so short columns are wider than their text.
  const widths = head.map((h, i) => Math.max(h.length + 2, ...rows.map((r) => (r[i] ?? '').length)))
  const pad = (text: string, i: number) => (alignRight[i] ? text.padStart(widths[i]) : text.padEnd(widths[i]))
  const lines = [head.map((h, i) => pad(h, i)).join('  '), widths.map((w) => '-'.repeat(w)).join('  ')]
  for (const row of rows) lines.push(row.map((c, i) => pad(c ?? '', i)).join('  '))
  return lines.map((l) => l.trimEnd()).join('\n')
}

// What Python's str.isspace() accepts: int(), float() and str.strip() all use it, and JS's \s differs.
const PY_SPACE = '[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]'
const DIGITS = '\\d+(?:_\\d+)*'
const PY_INT = new RegExp(`^${PY_SPACE}*[+-]?${DIGITS}${PY_SPACE}*$`)
const PY_FLOAT = new RegExp(`^${PY_SPACE}*[+-]?(?:(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:e[+-]?${DIGITS})?|inf(?:inity)?|nan)${PY_SPACE}*$`, 'i')
const PY_STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, 'g')
const PY_RSTRIP = new RegExp(`${PY_SPACE}+$`)
// tabulate's _invisible_codes: colour codes take no room on screen.
const ANSI = /\x1B\[\d+[;\d]*m|\x1B\[\d*;\d*;\d*m/g
// str.splitlines() boundaries; tabulate pads each line of a multi-line cell separately.
const LINE_BREAK = /\r\n|[\n\r\v\f\x1C-\x1E\x85\u2028\u2029]/

type Cell = string | null | undefined
// tabulate's _more_generic ranks a column by its most general cell: none < bool < int < float < text.
const Kind = {None: 0, Bool: 1, Int: 2, Float: 3, Text: 4} as const
type Kind = (typeof Kind)[keyof typeof Kind]
// Math.max(...xs) runs out of stack on very long lists.
const most = (xs: number[], floor: number) => xs.reduce((a, b) => Math.max(a, b), floor)

const visible = (s: string) => s.replace(ANSI, '')
// Python's len() counts code points, which is what tabulate measures when wcwidth is not installed.
const width = (s: string) => [...visible(s)].length
const padEnd = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)))
const padStart = (s: string, w: number) => ' '.repeat(Math.max(0, w - width(s))) + s

function splitLines(s: string): string[] {
  const lines = s.split(LINE_BREAK)
  if (lines.at(-1) === '') lines.pop()
  return lines
}

function pyFloat(s: string): number {
  const t = s.replace(PY_STRIP, '').replaceAll('_', '').toLowerCase()
  if (t.endsWith('nan')) return Number.NaN
  if (t.includes('inf')) return t.startsWith('-') ? -Infinity : Infinity
  return Number(t)
}

// tabulate's _isnumber: float() must parse it, and an overflow to inf only counts when spelt "inf".
function isNumber(s: string): boolean {
  if (!PY_FLOAT.test(s)) return false
  const value = pyFloat(s)
  return Number.isFinite(value) || ['inf', '-inf', 'nan'].includes(s.toLowerCase())
}

function kindOf(cell: Cell): Kind {
  if (cell === null || cell === undefined) return Kind.None
  const s = visible(cell)
  if (s === 'True' || s === 'False') return Kind.Bool
  if (PY_INT.test(s)) return Kind.Int
  return isNumber(s) ? Kind.Float : Kind.Text
}

/** Six significant digits and the exponent, rounded as Python does: exact ties go to the even digit, JS rounds them up. */
function sixDigits(x: number): [string, number] {
  const [exact, exactExp] = x.toExponential(99).split('e')
  const digits = exact.replace('.', '')
  if (/^50*$/.test(digits.slice(6)) && Number(digits[5]) % 2 === 0) return [digits.slice(0, 6), Number(exactExp)]
  const [rounded, exp] = x.toExponential(5).split('e')
  return [rounded.replace('.', ''), Number(exp)]
}

/** Python's format(x, "g"), which tabulate applies to every cell of a float column. */
function formatG(x: number): string {
  if (Number.isNaN(x)) return 'nan'
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf'
  const sign = x < 0 || Object.is(x, -0) ? '-' : ''
  if (x === 0) return `${sign}0`
  const [digits, exp] = sixDigits(Math.abs(x))
  const trim = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s)
  if (exp < -4 || exp >= 6) return `${sign}${trim(`${digits[0]}.${digits.slice(1)}`)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  return sign + trim(exp >= 0 ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}` : `0.${'0'.repeat(-exp - 1)}${digits}`)
}

// tabulate's _afterpoint: how many characters follow the decimal point (or exponent mark), -1 for none.
function afterPoint(s: string): number {
  if (!isNumber(s) || PY_INT.test(s)) return -1
  const dot = s.lastIndexOf('.')
  const pos = dot >= 0 ? dot : s.toLowerCase().lastIndexOf('e')
  return pos >= 0 ? s.length - pos - 1 : -1
}

interface Column { cells: string[]; width: number; numeric: boolean }

function alignColumn(raw: Cell[], minWidth: number, multiline: boolean): Column {
  const kind = most(raw.map((c) => kindOf(c)), Kind.Bool)
  const numeric = kind === Kind.Int || kind === Kind.Float
  let cells = raw.map((c) => {
    if (c === null || c === undefined) return ''
    if (kind !== Kind.Float) return c
    const plain = visible(c)
    return c.split(plain).join(formatG(pyFloat(plain)))
  })
  if (numeric) {
    // "decimal" alignment: pad on the right so the points line up, then flush the result right.
    const points = cells.map((c) => afterPoint(visible(c)))
    const deepest = most(points, -1)
    cells = cells.map((c, i) => c + ' '.repeat(deepest - points[i]))
  } else {
    cells = cells.map((c) => c.replace(PY_STRIP, ''))
  }

  const lineWidths = (c: string) => (multiline ? c.split(/[\r\n]/) : [c]).map((l) => width(l))
  const w = most(cells.flatMap((c) => lineWidths(c)), minWidth)
  const pad = (s: string) => (numeric ? padStart(s, w) : padEnd(s, w))
  return {cells: cells.map((c) => (multiline ? splitLines(c).map((l) => pad(l)).join('\n') : pad(c))), width: w, numeric}
}

/**
 * tabulate(rows, headers, tablefmt="plain") as tabulate 0.8.9 prints it, which upstream's build and envvars
 * CLIs use: numeric columns (and their headers) flush right on the decimal point, text flush left and
 * stripped, every column at least two wider than its header, two spaces between columns, trailing blanks
 * trimmed. A cell with a line break spans several lines, each aligned in its column, the others blank.
 * No headers: columns are just as wide as their cells.
 */
export function renderPlain(head: readonly string[], data: readonly (readonly Cell[])[]): string {
  // A carriage return stays: like every line break in a cell, it is laid out as a line of its own.
  const rows = data.map((row) => row.map((cell) => (typeof cell === 'string' ? neutralizeControlsKeepCr(cell) : cell)))
  let headers = [...head]
  if (headers.length > 0 && rows.length > 0 && headers.length < rows[0].length) {
    headers = [...Array.from({length: rows[0].length - headers.length}, () => ''), ...headers]
  }

  const multiline = [...headers, ...rows.flat()].some((c) => typeof c === 'string' && /[\r\n]/.test(c))
  const lineWidth = (s: string) => Math.max(...(multiline ? s.split(/[\r\n]/) : [s]).map((l) => width(l)))
  const ncols = most(rows.map((r) => r.length), 0)
  const used = rows.length === 0 ? 0 : headers.length > 0 ? Math.min(headers.length, ncols) : ncols
  const columns = Array.from({length: used}, (_, i) =>
    alignColumn(rows.map((r) => r[i]), headers.length > 0 ? lineWidth(headers[i]) + 2 : 0, multiline))
  const widths = used > 0 ? columns.map((c) => c.width) : headers.map((h) => lineWidth(h) + 2)

  const lines: string[] = []
  const emit = (cells: string[]) => {
    if (!multiline) {
      lines.push(cells.join('  ').replace(PY_RSTRIP, ''))
      return
    }

    const split = cells.map((c) => splitLines(c))
    const height = most(split.map((l) => l.length), 0)
    for (let k = 0; k < height; k++) {
      lines.push(split.map((l, i) => l[k] ?? ' '.repeat(widths[i])).join('  ').replace(PY_RSTRIP, ''))
    }
  }

  if (headers.length > 0) {
    emit(widths.map((w, i) => {
      const align = (h: string) => (columns[i]?.numeric ? padStart(h, w) : padEnd(h, w))
      return multiline ? headers[i].split(/\r|\n/).map((l) => align(l)).join('\n') : align(headers[i])
    }))
  }

  for (let r = 0; r < (used > 0 ? rows.length : 0); r++) emit(columns.map((c) => c.cells[r]))
  return lines.join('\n')
}
