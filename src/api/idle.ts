import {finished, Readable} from 'node:stream'

// A read timeout for a streamed answer (`jobs logs` without -f), which may rightly take longer than any
// fixed time in all but a server that stopped sending. Only time spent waiting for data counts: while
// the reader is busy (a slow pipe), nothing is asked for and the clock does not run.

class IdleGuard extends Readable {
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly source: Readable,
    private readonly ms: number,
    private readonly onIdle: () => Error,
  ) {
    super()
    source.pause()
    source.on('data', (chunk: Buffer) => {
      this.disarm()
      if (this.destroyed) return
      if (!this.push(chunk)) source.pause()
    })
    source.on('end', () => {
      this.disarm()
      this.push(null)
    })
    finished(source, (error) => {
      if (error) this.destroy(error)
    })
  }

  override _read(): void {
    this.timer ??= setTimeout(() => this.destroy(this.onIdle()), this.ms)
    this.source.resume()
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.disarm()
    this.source.destroy()
    callback(error)
  }

  private disarm(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }
}

/** `source`, ended with `onIdle()` when no data arrives for `ms` while the reader waits for some. */
export function withIdleTimeout(source: Readable, ms: number, onIdle: () => Error): Readable {
  return ms > 0 ? new IdleGuard(source, ms, onIdle) : source
}
