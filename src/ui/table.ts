import type CliTable3 from 'cli-table3'

import {colorEnabled} from './terminal.js'

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
  for (const row of rows) table.push(row.map((cell) => (cell === undefined || cell === null ? '' : String(cell))))
  // tabulate rules off the header but not the rows; cli-table3 can only do both or neither.
  const lines = table.toString().split('\n')
  if (rows.length > 0) lines.splice(2, 0, lines[0])
  return lines.join('\n')
}

/** A two-column key/value table with a line between rows (tabulate "grid"), as `jobs show` prints. */
export async function renderVertical(rows: [string, string][]): Promise<string> {
  const table = await newTable({})
  for (const [key, value] of rows) table.push([key, value])
  return table.toString()
}

/** tabulate "simple": no borders, a dashed rule under the header, columns separated by two spaces. */
export function renderSimple(head: string[], rows: string[][], alignRight: boolean[] = []): string {
  // tabulate leaves at least two spaces beside each header (its MIN_PADDING), so short columns are wider than their text.
  const widths = head.map((h, i) => Math.max(h.length + 2, ...rows.map((r) => (r[i] ?? '').length)))
  const pad = (text: string, i: number) => (alignRight[i] ? text.padStart(widths[i]) : text.padEnd(widths[i]))
  const lines = [head.map((h, i) => pad(h, i)).join('  '), widths.map((w) => '-'.repeat(w)).join('  ')]
  for (const row of rows) lines.push(row.map((c, i) => pad(c ?? '', i)).join('  '))
  return lines.map((l) => l.trimEnd()).join('\n')
}

/** tabulate "plain": aligned columns, no rules. */
export function renderPlain(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  return [head, ...rows].map((row) => row.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd()).join('\n')
}
