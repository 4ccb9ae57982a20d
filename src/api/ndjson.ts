import {StringDecoder} from 'node:string_decoder'

import {ServerError} from './errors.js'

export interface StreamLine {
  text: string
  /** The first line of the response (where an HTML error page would start). */
  first: boolean
  /** The final line, which arrived without its newline (cut short, or simply unterminated). */
  last: boolean
}

/**
 * The longest line held, in bytes. A log record is one line of a container's or a build step's output
 * in a small JSON envelope; a line a thousand times longer than any terminal is wide is not a log
 * record worth waiting for but a stream gone wrong (or output without newlines), and holding it whole
 * would let one line take all the memory there is. Half a JSON record could not be shown either, so
 * the stream ends with an error that names the limit rather than with a record cut in two.
 */
export const MAX_LINE_BYTES = 1024 * 1024

/**
 * The non-blank lines of a streamed NDJSON response, each as soon as it is complete. Chunks may split a
 * line, or a multi-byte character, anywhere; CRLF endings are accepted; the last line may lack its newline.
 * Each chunk is searched once: the unfinished line is kept as pieces, joined when its newline arrives.
 */
export async function* streamLines(chunks: AsyncIterable<Buffer | string>, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<StreamLine> {
  const decoder = new StringDecoder('utf8')
  let pieces: string[] = []
  let pendingBytes = 0
  let first = true
  const line = (raw: string, last: boolean): StreamLine | undefined => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (text.trim() === '') return undefined
    const result = {text, first, last}
    first = false
    return result
  }

  const hold = (piece: string) => {
    if (piece === '') return
    pieces.push(piece)
    pendingBytes += Buffer.byteLength(piece)
    if (pendingBytes > maxLineBytes) {
      throw new ServerError(`A line of the log stream is longer than ${maxLineBytes / (1024 * 1024)} MiB, the most the CLI reads as one line; the stream was not read further`)
    }
  }

  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk)
    let start = 0
    let newline = text.indexOf('\n')
    while (newline !== -1) {
      const end = text.slice(start, newline)
      const complete = line(pieces.length === 0 ? end : pieces.join('') + end, false)
      pieces = []
      pendingBytes = 0
      if (complete) yield complete
      start = newline + 1
      newline = text.indexOf('\n', start)
    }

    hold(text.slice(start))
  }

  hold(decoder.end())
  const rest = line(pieces.join(''), true)
  if (rest) yield rest
}
