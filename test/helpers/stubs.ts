import {PassThrough} from 'node:stream'

const pendingUndos: (() => void)[] = []

/** Runs an undo once, whether a test calls it or restoreTerminalFakes() does after the test. */
function registered(undo: () => void): () => void {
  let done = false
  const once = () => {
    if (done) return
    done = true
    pendingUndos.splice(pendingUndos.indexOf(once), 1)
    undo()
  }

  pendingUndos.push(once)
  return once
}

/** Undoes every fake terminal still in place, newest first; the root afterEach (setup.ts) calls it. */
export function restoreTerminalFakes(): void {
  while (pendingUndos.length > 0) pendingUndos.at(-1)!()
}

/** Pretends stdin and stdout are (or are not) a terminal until the test ends; returns the undo. */
export function fakeTty(isTty: boolean): () => void {
  const saved = {stdin: process.stdin.isTTY, stdout: process.stdout.isTTY, ci: process.env.CI}
  process.stdin.isTTY = isTty
  process.stdout.isTTY = isTty
  delete process.env.CI
  return registered(() => {
    process.stdin.isTTY = saved.stdin
    process.stdout.isTTY = saved.stdout
    if (saved.ci === undefined) delete process.env.CI
    else process.env.CI = saved.ci
  })
}

/**
 * Puts a person at a fake terminal until the test ends: stdin is replaced by a stream that types
 * `keys`, one key at a time, once a prompt listens. Independent of how the test runner's own stdin
 * is connected.
 */
export function fakeTerminalInput(keys: string): () => void {
  const descriptor = Object.getOwnPropertyDescriptor(process, 'stdin')!
  const input = Object.assign(new PassThrough(), {isTTY: true})
  Object.defineProperty(process, 'stdin', {value: input, configurable: true, enumerable: true})
  const restoreTty = fakeTty(true)
  const pending = [...keys]
  const timer = setInterval(() => {
    if (input.listenerCount('keypress') === 0) return
    const key = pending.shift()
    if (key === undefined) clearInterval(timer)
    else input.write(key)
  }, 10)
  return registered(() => {
    clearInterval(timer)
    restoreTty()
    Object.defineProperty(process, 'stdin', descriptor)
  })
}

/** A loopback port nothing listens on: connecting to it is refused (the sandbox's own port finder). */
export {freePort as closedPort} from '../../src/sandbox/proxy.js'
