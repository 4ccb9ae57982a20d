// Layout primitives of the help text: wrapping, indentation, two-column lists and titled sections.
// The help must read exactly as oclif's default Help class prints it (README.md and users' muscle
// memory depend on it), so these follow @oclif/core 4's HelpFormatter step for step, including the
// order in which templates are rendered, text is wrapped and lengths are measured.

import stringWidth from 'string-width'
import wrapAnsi from 'wrap-ansi'

export interface FormatContext {
  /** Columns available to the help text. */
  maxWidth: number
  /** Bold section headers and underlined flag values. */
  color: boolean
  /** Strip escape codes from finished sections (what `oclif readme` asks for). */
  stripAnsi: boolean
  /** Replaces the help templates (`<%= config.bin %>`, …) in a text. */
  render: (text: string) => string
}

/** One row of a two-column list; either side may be missing. */
export type ListRow = readonly [left: string | undefined, right: string | undefined]

// The escape codes oclif's colour library emits for the two styles help uses.
const BOLD = ['\u001B[1m', '\u001B[22m'] as const
const UNDERLINE = ['\u001B[4m', '\u001B[24m'] as const
// eslint-disable-next-line no-control-regex
const ANSI = /[\u001B\u009B][[()#;?]*(?:\d{1,4}(?:;\d{0,4})*)?[\dA-ORZcf-nqry=><]/g

export function stripAnsi(text: string): string {
  return text.replaceAll(ANSI, '')
}

export function bold(ctx: FormatContext, text: string): string {
  return ctx.color ? BOLD[0] + text + BOLD[1] : text
}

export function underline(ctx: FormatContext, text: string): string {
  return ctx.color ? UNDERLINE[0] + text + UNDERLINE[1] : text
}

/**
 * oclif's help width: `OCLIF_COLUMNS` when set, else 80 when stdout is not a terminal, else the
 * terminal's width (80 if unknown, at least 40).
 */
export function helpWidth(env: NodeJS.ProcessEnv = process.env, stream: Pick<NodeJS.WriteStream, 'isTTY' | 'getWindowSize'> = process.stdout): number {
  const columns = Number.parseInt(env.OCLIF_COLUMNS ?? '', 10)
  if (columns) return columns
  if (!stream.isTTY) return 80
  const width = stream.getWindowSize()[0]
  if (width < 1) return 80
  return Math.max(width, 40)
}

/** Indents every line that is not blank. */
export function indent(body: string, spacing = 2): string {
  return spacing === 0 ? body : body.replaceAll(/^(?!\s*$)/gm, ' '.repeat(spacing))
}

/** Renders templates, then wraps to the width left after `spacing` columns of indentation. */
export function wrap(ctx: FormatContext, body: string, spacing = 2): string {
  return wrapAnsi(ctx.render(body), ctx.maxWidth - spacing, {hard: true})
}

function widestLine(text: string): number {
  let widest = 0
  for (const line of text.split('\n')) widest = Math.max(widest, stringWidth(line))
  return widest
}

export interface ListOptions {
  indentation: number
  /** Between rows; always a newline in practice, as in oclif. */
  spacer?: string
  stripAnsi?: boolean
}

/** Each row as a block: the left side, then the right side indented below it, blank lines between rows. */
function renderStacked(ctx: FormatContext, rows: readonly ListRow[], opts: ListOptions): string {
  let output = ''
  for (let [left, right] of rows) {
    if (!left && !right) continue
    if (left) {
      if (opts.stripAnsi) left = stripAnsi(left)
      output += wrap(ctx, left.trim(), opts.indentation)
    }

    if (right) {
      if (opts.stripAnsi) right = stripAnsi(right)
      output += '\n' + indent(wrap(ctx, right.trim(), opts.indentation + 2), 4)
    }

    output += '\n\n'
  }

  return output.trim()
}

/**
 * Two columns: the left side padded to the widest left side, the right side wrapped beside it. When
 * any right side needs more than five lines the whole list is stacked instead, as oclif does.
 */
export function renderList(ctx: FormatContext, rows: readonly ListRow[], opts: ListOptions): string {
  if (rows.length === 0) return ''
  const leftWidth = widestLine(rows.map(([left]) => left).join('\n'))
  const spacer = opts.spacer || '\n'
  let output = ''
  let current = ''
  for (const [left, rawRight] of rows) {
    if (current) output += spacer + current
    current = left || ''
    if (opts.stripAnsi) current = stripAnsi(current)
    if (!rawRight) {
      current = current.trim()
      continue
    }

    const right = wrap(ctx, (opts.stripAnsi ? stripAnsi(rawRight) : rawRight).trim(), opts.indentation + leftWidth + 2)
    const [first, ...rest] = right.split('\n').map((line) => line.trim())
    current += ' '.repeat(leftWidth - stringWidth(current) + 2) + first
    if (rest.length === 0) continue
    if (rest.length > 4) return renderStacked(ctx, rows, opts)
    current += '\n' + indent(rest.join('\n'), leftWidth + 2)
  }

  if (current) output += spacer + current
  return output.trim()
}

/** A bold title over an indented body; a list body is rendered as two columns first. */
export function section(ctx: FormatContext, header: string, body: string | readonly ListRow[]): string {
  const text =
    typeof body === 'string'
      ? ctx.render(body)
      : renderList(
          ctx,
          body.map(([left, right]) => [ctx.render(left ?? ''), right && ctx.render(right)] as const),
          {indentation: 2, stripAnsi: ctx.stripAnsi},
        )
  const output = bold(ctx, header) + '\n' + indent(text)
  return ctx.stripAnsi ? stripAnsi(output) : output
}
