// jobs-api splits buildservice commands with Python's `shlex.split` (POSIX mode, no comments) so that
// `launcher <cmd>` runs without a shell. The same splitting must apply here or the container would get a
// different argv than upstream gives it.

export class ShlexError extends Error {}

const WHITESPACE = new Set([' ', '\t', '\r', '\n'])

/** `shlex.split(text)`; throws `No closing quotation` / `No escaped character` like Python. */
export function shlexSplit(text: string): string[] {
  const tokens: string[] = []
  let token = ''
  let inToken = false
  let i = 0
  const n = text.length

  while (i < n) {
    const c = text[i]
    if (WHITESPACE.has(c)) {
      if (inToken) {
        tokens.push(token)
        token = ''
        inToken = false
      }
      i++
    } else if (c === '\\') {
      if (i + 1 >= n) throw new ShlexError('No escaped character')
      token += text[i + 1]
      inToken = true
      i += 2
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1)
      if (end < 0) throw new ShlexError('No closing quotation')
      token += text.slice(i + 1, end)
      inToken = true
      i = end + 1
    } else if (c === '"') {
      inToken = true
      i++
      for (;;) {
        if (i >= n) throw new ShlexError('No closing quotation')
        const q = text[i]
        if (q === '"') {
          i++
          break
        }
        if (q === '\\') {
          if (i + 1 >= n) throw new ShlexError('No escaped character')
          const next = text[i + 1]
          // Inside double quotes only `\"` and `\\` are escapes; other backslashes are literal.
          token += next === '"' || next === '\\' ? next : `\\${next}`
          i += 2
        } else {
          token += q
          i++
        }
      }
    } else {
      token += c
      inToken = true
      i++
    }
  }

  if (inToken) tokens.push(token)
  return tokens
}
