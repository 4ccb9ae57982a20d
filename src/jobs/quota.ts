import type {QuotaCategory} from '../api/jobs-types.js'
import {renderSimple} from '../ui/table.js'

// `toolforge jobs quota`: one tabulate "simple" table per category (jobs.md §2.9).

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

type Cell = string | null | undefined

/** tabulate treats a column as numeric when every present cell is a number; empty (null) cells do not count. */
function isNumericColumn(cells: Cell[]): boolean {
  const present = cells.filter((cell): cell is string => cell !== null && cell !== undefined)
  return present.length > 0 && present.every((cell) => NUMBER.test(cell))
}

/** Digits after the decimal point, or -1 for an integer: what tabulate lines numbers up by. */
function decimals(cell: string): number {
  if (!/[.eE]/.test(cell)) return -1
  const point = cell.includes('.') ? cell.lastIndexOf('.') : cell.toLowerCase().lastIndexOf('e')
  return cell.length - point - 1
}

/**
 * Numeric columns are right-aligned on the decimal point like tabulate's default "decimal" alignment.
 * Values are kept verbatim: tabulate would reformat an all-float column ("4.0" → "4"), which only
 * hides information.
 */
function alignColumn(cells: Cell[]): {cells: string[]; right: boolean} {
  if (!isNumericColumn(cells)) return {cells: cells.map((cell) => cell ?? ''), right: false}
  const widest = Math.max(...cells.map((cell) => (cell ? decimals(cell) : -1)))
  return {
    cells: cells.map((cell) => (cell ? cell + ' '.repeat(widest - decimals(cell)) : '')),
    right: true,
  }
}

export function renderQuotaCategory(category: QuotaCategory): string {
  const items = Array.isArray(category.items) ? category.items : []
  const used = alignColumn(items.map((item) => item.used))
  const limit = alignColumn(items.map((item) => item.limit))
  const rows = items.map((item, i) => [item.name, used.cells[i], limit.cells[i]])
  return renderSimple([category.name, 'Used', 'Limit'], rows, [false, used.right, limit.right])
}

export function renderQuota(categories: QuotaCategory[]): string {
  return categories.map((category) => renderQuotaCategory(category)).join('\n\n')
}
