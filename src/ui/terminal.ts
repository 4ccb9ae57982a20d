// One place decides whether we may decorate output or talk to a person.

export function colorEnabled(stream: NodeJS.WriteStream = process.stdout, env = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  return Boolean(stream.isTTY) && env.TERM !== 'dumb'
}

/** Prompts need a person on both ends; piped stdin made @inquirer/prompts auto-accept (node-stack.md §4). */
export function interactive(env = process.env): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !env.CI
}

/** Spinners go to stderr, but only when stdout is a terminal too (a redirected run is a script). */
export function spinnersEnabled(env = process.env): boolean {
  return Boolean(process.stderr.isTTY && process.stdout.isTTY) && !env.CI && env.TERM !== 'dumb' && !env.NO_COLOR
}

const CODES = {red: 31, green: 32, yellow: 33, blue: 34, bold: 1, boldRed: '1;31', boldYellow: '1;33'} as const
export type Style = keyof typeof CODES

export function paint(text: string, style: Style, enabled: boolean): string {
  return enabled ? `\u001B[${CODES[style]}m${text}\u001B[0m` : text
}
