// Text from a server (API messages, errors, job names and fields in tables) is printed for a person to
// read, never for their terminal to obey: an escape sequence in it could clear the screen, move the
// cursor over earlier output, set the window title or plant a hyperlink. Our own colour codes are added
// after this runs, so they are untouched. JSON output needs none of it: JSON escapes control characters.

// C0 (but tab and newline), DEL and C1: ESC and CSI start every escape sequence, CR and BS overwrite.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g
const CONTROL_KEEP_CR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g

const visible = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`

/** Control characters shown as `\x1b`-style text, so the reader sees them and the terminal does not act on them. */
export function neutralizeControls(text: string): string {
  return text.replace(CONTROL, visible)
}

/** The same, but carriage returns are kept: for tables that lay each line break, CRLF included, out as a line of its own. */
export function neutralizeControlsKeepCr(text: string): string {
  return text.replace(CONTROL_KEEP_CR, visible)
}
