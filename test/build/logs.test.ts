import {expect} from 'chai'
import {PassThrough, Readable} from 'node:stream'

import {ServerError} from '../../src/api/errors.js'
import {logLines, parseLogRecord, pipeLogs} from '../../src/build/logs.js'

async function collect(chunks: (string | Buffer)[]): Promise<string[]> {
  const lines: string[] = []
  for await (const line of logLines(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))))) lines.push(line)
  return lines
}

describe('build log stream parsing', () => {
  it('reassembles records split anywhere, including inside a UTF-8 character', async () => {
    const text = '{"line": "[step-build] Ünïcode ✓ 🎉"}\r\n{"line": "second"}\n{"line": "no final newline"}'
    const bytes = Buffer.from(text)
    for (let size = 1; size <= 7; size++) {
      const chunks: Buffer[] = []
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size))
      expect(await collect(chunks)).to.deep.equal(['[step-build] Ünïcode ✓ 🎉', 'second', 'no final newline'])
    }
  })

  it('skips blank lines and keeps a non-JSON line as text', async () => {
    expect(await collect(['\n\n{"line": "a"}\nnot json\n   \n'])).to.deep.equal(['a', 'not json'])
  })

  it('turns a `message` record into an error after the lines before it', async () => {
    const seen: string[] = []
    let error: unknown
    try {
      for await (const line of logLines(Readable.from([Buffer.from('{"line": "one"}\n{"message": "Error getting the logs for x: boom"}\n{"line": "never"}\n')]))) {
        seen.push(line)
      }
    } catch (error_) {
      error = error_
    }

    expect(seen).to.deep.equal(['one'])
    expect(error).to.be.instanceOf(ServerError)
    expect((error as Error).message).to.equal('Error getting the logs for x: boom')
  })

  it('keeps an empty `line` as an empty line', () => {
    expect(parseLogRecord('{"line": ""}')).to.equal('')
  })

  it('pipes lines with newlines and stops a spinner at the first one', async () => {
    const out = new PassThrough()
    const written: string[] = []
    out.on('data', (chunk: Buffer) => written.push(chunk.toString()))
    let firstLineCalls = 0
    const count = await pipeLogs(Readable.from([Buffer.from('{"line": "a"}\n{"line": "b"}\n')]), out, () => firstLineCalls++)
    expect(count).to.equal(2)
    expect(firstLineCalls).to.equal(1)
    expect(written.join('')).to.equal('a\nb\n')
  })
})
