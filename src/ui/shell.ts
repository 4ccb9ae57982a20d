/** POSIX single-quote a value for `eval`; safe for any byte except NUL. */
export function quoteShell(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value
  return `'${value.replaceAll("'", `'\\''`)}'`
}
