import {fstatSync, writeSync} from 'node:fs'

/**
 * What help and completion need to know about stdout, without touching process.stdout: creating
 * that stream, like loading node:tty, pulls in Node's stream and socket machinery (~3 ms), more
 * than printing help takes. Only a character device can be a terminal, so a pipe or a file is
 * told apart with a stat; node:tty decides for the rest.
 */
export function stdoutInfo(): Pick<NodeJS.WriteStream, 'isTTY' | 'getWindowSize'> {
  let characterDevice = true
  try {
    characterDevice = fstatSync(1).isCharacterDevice()
  } catch {
    // Unknown: let node:tty decide.
  }

  const isTTY = characterDevice && process.getBuiltinModule('node:tty').isatty(1)
  return {isTTY, getWindowSize: () => process.stdout.getWindowSize()}
}

/**
 * Writes all of `text` to fd 1 synchronously, for the same reason. A non-blocking stdout that is
 * full (EAGAIN) gets the rest through process.stdout; a reader that went away (EPIPE, as in
 * `toolforge --help | head -1`) ends the output quietly.
 */
export function writeStdoutSync(text: string): void {
  const data = Buffer.from(text)
  let offset = 0
  try {
    while (offset < data.length) offset += writeSync(1, data, offset)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EPIPE') return
    if (code !== 'EAGAIN') throw error
    process.stdout.write(data.subarray(offset))
  }
}
