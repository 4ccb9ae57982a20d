import {StringDecoder} from 'node:string_decoder'

export interface StreamLine {
  text: string
  /** The first line of the response (where an HTML error page would start). */
  first: boolean
  /** The final line, which arrived without its newline (cut short, or simply unterminated). */
  last: boolean
}

/**
 * The non-blank lines of a streamed NDJSON response, each as soon as it is complete. Chunks may split a
 * line, or a multi-byte character, anywhere; CRLF endings are accepted; the last line may lack its newline.
 */
export async function* streamLines(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<StreamLine> {
  const decoder = new StringDecoder('utf8')
  let pending = ''
  let first = true
  const line = (raw: string, last: boolean): StreamLine | undefined => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (text.trim() === '') return undefined
    const result = {text, first, last}
    first = false
    return result
  }

  for await (const chunk of chunks) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk)
    let newline = pending.indexOf('\n')
    while (newline !== -1) {
      const complete = line(pending.slice(0, newline), false)
      pending = pending.slice(newline + 1)
      if (complete) yield complete
      newline = pending.indexOf('\n')
    }
  }

  const rest = line(pending + decoder.end(), true)
  if (rest) yield rest
}
