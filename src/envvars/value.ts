import type {Readable} from 'node:stream'

import {UserError} from '../api/errors.js'

export const PROMPT = 'Enter the value of your envvar (Hit Ctrl+C to cancel)'
// Kubernetes refuses Secrets above 1 MiB, and the value is stored in one.
export const MAX_VALUE_BYTES = 1024 * 1024

export const EMPTY_VALUE =
  'Refusing to store an empty value (an empty secret is almost always a mistake); pass --allow-empty if you really mean it.'

/** Reads a whole stream as bytes, stopping early once it is too large to be a valid value. */
export async function readAll(stream: Readable, limit = MAX_VALUE_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    size += buffer.length
    if (size > limit) throw new UserError(`The value read from stdin is larger than ${limit} bytes, the most an envvar can hold.`)
    chunks.push(buffer)
  }

  return Buffer.concat(chunks)
}

/**
 * Bytes → the exact string to store. Invalid UTF-8 is refused rather than replaced with U+FFFD, and a
 * NUL byte is refused because an environment variable ends at the first NUL, so the pod would see a
 * truncated value. A byte-order mark is kept: the value is stored byte for byte.
 */
export function decodeValue(bytes: Buffer): string {
  let text: string
  try {
    text = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true}).decode(bytes)
  } catch {
    throw new UserError('The value read from stdin is not valid UTF-8 text; envvars can only hold text (encode binary data, e.g. with base64).')
  }

  if (text.includes('\0')) {
    throw new UserError('The value read from stdin contains a NUL byte, which an environment variable cannot hold (encode binary data, e.g. with base64).')
  }

  return text
}

export const NO_VALUE = 'No value given: pass it after the name, or pipe it in (`printf %s "$VALUE" | toolforge envvars create NAME`); nothing is asked without a terminal or with --json.'

export interface ValueSources {
  /** The VALUE argument, when given. */
  argument?: string
  stdin: Readable & {isTTY?: boolean}
  prompt: (message: string) => Promise<string>
  /** False without a terminal on stdout, with --json or in CI: then nothing is asked. */
  canPrompt: boolean
  allowEmpty: boolean
  /** Told about a trailing newline read from stdin. */
  warn: (message: string) => void
}

/**
 * Where `envvars create` gets the value: the argument; else a hidden prompt on a terminal; else all of
 * stdin. Stdin is taken byte for byte, trailing newline included, as upstream does (Q-ENV-02, kept: a
 * value such as a PEM key may need it), with a warning since `echo … |` adds one by accident.
 */
export async function resolveValue(sources: ValueSources): Promise<string> {
  let value: string
  if (sources.argument !== undefined) {
    value = sources.argument
  } else if (sources.stdin.isTTY) {
    if (!sources.canPrompt) throw new UserError(NO_VALUE)
    value = await sources.prompt(PROMPT)
  } else {
    value = decodeValue(await readAll(sources.stdin))
    if (value.endsWith('\n')) {
      sources.warn('the value read from stdin ends with a newline, which is kept as part of the value (use `printf %s` instead of `echo` to avoid it)')
    }
  }

  if (value === '' && !sources.allowEmpty) throw new UserError(EMPTY_VALUE)
  return value
}
