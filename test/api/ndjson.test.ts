import {expect} from 'chai'

import {ServerError} from '../../src/api/errors.js'
import {MAX_LINE_BYTES, streamLines} from '../../src/api/ndjson.js'

async function* chunked(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text)
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

async function lines(chunks: AsyncIterable<Buffer>): Promise<string[]> {
  const out: string[] = []
  for await (const line of streamLines(chunks)) out.push(line.text)
  return out
}

describe('streamLines', () => {
  it('reassembles lines split anywhere, CRLF and a last line without its newline included', async () => {
    const text = 'one\r\n{"é": "日本"}\n\n  \nlast'
    for (const size of [1, 2, 3, 7, 1000]) expect(await lines(chunked(text, size)), `chunks of ${size}`).to.deep.equal(['one', '{"é": "日本"}', 'last'])
  })

  it('takes time in proportion to the input, not to its square (a long line in small chunks)', async () => {
    const long = 'x'.repeat(MAX_LINE_BYTES - 100)
    const started = Date.now()
    const result = await lines(chunked(`${long}\nshort\n`, 64))
    // Re-scanning the unfinished line on every chunk took about 5 s for this; a single pass takes milliseconds.
    expect(Date.now() - started).to.be.lessThan(1500)
    expect(result.map((line) => line.length)).to.deep.equal([long.length, 5])
  })

  it('refuses a line longer than 1 MiB with an error naming the limit (exit 2), without holding the rest', async () => {
    let error: unknown
    let read = 0
    async function* endless(): AsyncGenerator<Buffer> {
      const chunk = Buffer.alloc(64 * 1024, 'x')
      for (;;) {
        read += chunk.length
        yield chunk
      }
    }

    try {
      await lines(endless())
    } catch (error_) {
      error = error_
    }

    expect(error).to.be.instanceOf(ServerError)
    expect((error as ServerError).message).to.match(/longer than 1 MiB/)
    expect((error as ServerError).exitCode).to.equal(2)
    expect(read).to.be.at.most(MAX_LINE_BYTES + 64 * 1024)
  })

  it('a line of exactly the limit is still read', async () => {
    const line = 'y'.repeat(MAX_LINE_BYTES)
    expect((await lines(chunked(`${line}\n`, 4096)))[0]).to.have.length(MAX_LINE_BYTES)
  })
})
