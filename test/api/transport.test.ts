import {expect} from 'chai'
import {PassThrough} from 'node:stream'
import {setTimeout as sleep} from 'node:timers/promises'

import {withIdleTimeout} from '../../src/api/idle.js'
import {retryDelayMs} from '../../src/api/retry.js'

describe('retry back-off', () => {
  it('starts at the base and doubles: 200, 400, 800 ms', () => {
    expect([1, 2, 3].map((retry) => retryDelayMs(retry, 200, 0, () => 0))).to.deep.equal([200, 400, 800])
  })

  it("waits as long as the server's Retry-After asks when that is longer", () => {
    expect(retryDelayMs(1, 200, 3000, () => 0)).to.equal(3000)
    expect(retryDelayMs(3, 200, 100, () => 0)).to.equal(800)
  })

  it('adds up to 20 % jitter', () => {
    expect([1, 2, 3].map((retry) => retryDelayMs(retry, 200, 0, () => 1))).to.deep.equal([240, 480, 960])
    for (let i = 0; i < 100; i++) expect(retryDelayMs(1, 200)).to.be.within(200, 240)
  })
})

describe('withIdleTimeout', () => {
  const idle = () => new Error('idle')

  it('ends a stream that sends nothing for that long while it is read', async () => {
    const source = new PassThrough()
    const guarded = withIdleTimeout(source, 100, idle)
    source.write('first')
    const seen: string[] = []
    let error: Error | undefined
    const started = Date.now()
    try {
      for await (const chunk of guarded) seen.push(String(chunk))
    } catch (error_) {
      error = error_ as Error
    }

    expect(seen).to.deep.equal(['first'])
    expect(error?.message).to.equal('idle')
    expect(Date.now() - started).to.be.within(90, 1000)
    expect(source.destroyed).to.equal(true)
  })

  it('does not count time a slow reader keeps the data waiting, and passes the end through', async () => {
    const source = new PassThrough()
    const guarded = withIdleTimeout(source, 100, idle)
    // More than the guard buffers: the source is paused while the reader is busy, and sends nothing then.
    for (let i = 0; i < 4; i++) source.write(Buffer.alloc(32 * 1024, 'abcd'[i]))
    source.end()
    let bytes = 0
    for await (const chunk of guarded) {
      bytes += (chunk as Buffer).length
      await sleep(150)
    }

    expect(bytes).to.equal(4 * 32 * 1024)
  })

  it('destroying it closes the source (Ctrl-C, a closed pipe)', async () => {
    const source = new PassThrough()
    const guarded = withIdleTimeout(source, 10_000, idle)
    guarded.resume()
    guarded.destroy()
    await sleep(10)
    expect(source.destroyed).to.equal(true)
  })

  it('passes an error of the source on, and 0 turns it off', async () => {
    const source = new PassThrough()
    const guarded = withIdleTimeout(source, 1000, idle)
    const failed = new Promise<Error>((resolve) => guarded.once('error', resolve))
    guarded.resume()
    source.destroy(Object.assign(new Error('aborted'), {code: 'ECONNRESET'}))
    expect((await failed).message).to.equal('aborted')
    const plain = new PassThrough()
    expect(withIdleTimeout(plain, 0, idle)).to.equal(plain)
  })
})
