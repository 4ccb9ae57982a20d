import {expect} from 'chai'

import {ServerError, UserError} from '../../src/api/errors.js'
import {checkLastLines, formatLogRecord, type LogRecord, readLogRecords} from '../../src/jobs/logs.js'

async function collect(chunks: (string | Buffer)[]): Promise<{records: LogRecord[]; malformed: string[]}> {
  const malformed: string[] = []
  const records: LogRecord[] = []
  async function* source() {
    yield* chunks
  }

  for await (const record of readLogRecords(source(), {onMalformed: (line) => malformed.push(line)})) records.push(record)
  return {records, malformed}
}

const A = {pod: 'myjob-abcde', container: 'job', datetime: '2025-10-15T19:45:01+00:00', message: 'hello'}
const B = {pod: 'myjob-abcde', container: 'job', datetime: '2025-10-15T19:45:02+00:00', message: 'wörld ✓'}

describe('jobs logs records', () => {
  it('formats a record like the upstream CLI', () => {
    expect(formatLogRecord(A)).to.equal('2025-10-15T19:45:01+00:00 [myjob-abcde] [job] hello')
  })

  it('renders missing fields as empty and non-string fields as JSON', () => {
    expect(formatLogRecord({message: 42, pod: null})).to.equal(' [] [] 42')
  })

  it('reassembles records split across chunks, including inside a multi-byte character', async () => {
    const bytes = Buffer.from(`${JSON.stringify(A)}\n${JSON.stringify(B)}\n`)
    const split = bytes.indexOf(Buffer.from('✓')) + 1
    const {records, malformed} = await collect([bytes.subarray(0, 10), bytes.subarray(10, split), bytes.subarray(split)])
    expect(records).to.deep.equal([A, B])
    expect(malformed).to.deep.equal([])
  })

  it('keeps a final record without a newline and skips blank and CRLF-terminated lines cleanly', async () => {
    const {records} = await collect([`\n${JSON.stringify(A)}\r\n  \n\n`, JSON.stringify(B)])
    expect(records).to.deep.equal([A, B])
  })

  it('reports malformed lines (shortened) and carries on', async () => {
    const long = 'x'.repeat(300)
    const {records, malformed} = await collect([`not json\n${JSON.stringify(A)}\n[1,2]\n${long}\n"str"\n`])
    expect(records).to.deep.equal([A])
    expect(malformed).to.deep.equal(['not json', '[1,2]', `${'x'.repeat(200)}…`, '"str"'])
  })

  it('hands out each record as soon as its line is complete', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    async function* source() {
      yield `${JSON.stringify(A)}\n${JSON.stringify(B).slice(0, 5)}`
      await gate
      yield `${JSON.stringify(B).slice(5)}\n`
    }

    const iterator = readLogRecords(source(), {onMalformed() {}})
    expect((await iterator.next()).value).to.deep.equal(A)
    release()
    expect((await iterator.next()).value).to.deep.equal(B)
    expect((await iterator.next()).done).to.equal(true)
  })

  it('turns a broken source into a server error (exit 2)', async () => {
    async function* source() {
      yield `${JSON.stringify(A)}\n`
      throw Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'})
    }

    const seen: LogRecord[] = []
    let caught: unknown
    try {
      for await (const record of readLogRecords(source(), {onMalformed() {}})) seen.push(record)
    } catch (error) {
      caught = error
    }

    expect(seen).to.deep.equal([A])
    expect(caught).to.be.instanceOf(ServerError)
    expect((caught as ServerError).message).to.equal('The log stream from the jobs API was cut off (ECONNRESET)')
    expect((caught as ServerError).exitCode).to.equal(2)
  })

  it('accepts --last up to the server limit and rejects more with the server message', () => {
    expect(() => checkLastLines(undefined)).not.to.throw()
    expect(() => checkLastLines(5000)).not.to.throw()
    expect(() => checkLastLines(5001)).to.throw(UserError, 'Requested number of 5001 lines is over limit of 5000')
  })
})
