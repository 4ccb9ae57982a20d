import {expect} from 'chai'
import {Readable} from 'node:stream'

import {UserError} from '../../src/api/errors.js'
import {validateExistingName, validateNewName} from '../../src/envvars/names.js'
import {decodeValue, NO_VALUE, readAll, resolveValue, type ValueSources} from '../../src/envvars/value.js'

function sources(overrides: Partial<ValueSources> & {bytes?: Buffer}): ValueSources & {warnings: string[]; prompts: string[]} {
  const warnings: string[] = []
  const prompts: string[] = []
  const stdin = Object.assign(Readable.from(overrides.bytes ? [overrides.bytes] : []), {isTTY: false})
  return {
    stdin,
    prompt: async (message) => {
      prompts.push(message)
      return 'typed'
    },
    canPrompt: true,
    allowEmpty: false,
    warn: (message) => warnings.push(message),
    warnings,
    prompts,
    ...overrides,
  }
}

describe('envvar values', () => {
  it('prefers the argument and never reads stdin then', async () => {
    const s = sources({argument: 'arg', bytes: Buffer.from('stdin')})
    expect(await resolveValue(s)).to.equal('arg')
  })

  it('prompts when stdin is a terminal', async () => {
    const s = sources({stdin: Object.assign(Readable.from([]), {isTTY: true})})
    expect(await resolveValue(s)).to.equal('typed')
    expect(s.prompts).to.deep.equal(['Enter the value of your envvar (Hit Ctrl+C to cancel)'])
  })

  it('never asks where nobody should be asked (stdout not a terminal, --json, CI): says how to give the value', async () => {
    const s = sources({stdin: Object.assign(Readable.from([]), {isTTY: true}), canPrompt: false})
    let error: unknown
    await resolveValue(s).catch((caught: unknown) => (error = caught))
    expect(error).to.be.instanceOf(UserError).with.property('message', NO_VALUE)
    expect(s.prompts).to.deep.equal([])
  })

  it('reads stdin byte for byte, keeping a trailing newline (Q-ENV-02 kept) with a warning', async () => {
    const s = sources({bytes: Buffer.from('\uFEFFline 1\r\nläne 2 🎉\n')})
    expect(await resolveValue(s)).to.equal('\uFEFFline 1\r\nläne 2 🎉\n')
    expect(s.warnings).to.have.length(1)
    expect(s.warnings[0]).to.include('ends with a newline')
  })

  it('refuses an empty stdin unless allowed', async () => {
    let error: unknown
    try {
      await resolveValue(sources({}))
    } catch (error_) {
      error = error_
    }

    expect(error).to.be.instanceOf(UserError)
    expect(await resolveValue(sources({allowEmpty: true}))).to.equal('')
  })

  it('refuses invalid UTF-8 and NUL bytes instead of altering them', () => {
    expect(() => decodeValue(Buffer.from([0x61, 0xff, 0x62]))).to.throw(UserError, 'not valid UTF-8')
    expect(() => decodeValue(Buffer.from([0xe2, 0x82]))).to.throw(UserError, 'not valid UTF-8')
    expect(() => decodeValue(Buffer.from('a\0b'))).to.throw(UserError, 'NUL byte')
    expect(decodeValue(Buffer.from([0x01, 0x1b, 0x7f, 0x09]))).to.equal('\u0001\u001B\u007F\t')
  })

  it('stops reading past the size limit', async () => {
    let error: unknown
    try {
      await readAll(Readable.from([Buffer.alloc(6), Buffer.alloc(6)]), 10)
    } catch (error_) {
      error = error_
    }

    expect((error as Error).message).to.equal('The value read from stdin is larger than 10 bytes, the most an envvar can hold.')
    expect((await readAll(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 10)).toString()).to.equal('abc')
  })
})

describe('envvar names', () => {
  it('accepts names of the current rule for create', () => {
    for (const name of ['ABCD', 'A_1B', 'MY_API_TOKEN', 'X123']) expect(() => validateNewName(name)).not.to.throw()
  })

  it('rejects names the current rule forbids', () => {
    for (const name of ['ABC', '_ABC', 'ABC_', '1ABC', 'abcd', 'AB-C', 'ÄBCD', 'AB CD']) expect(() => validateNewName(name), name).to.throw(UserError)
  })

  it('still allows managing names of the older rule', () => {
    for (const name of ['_ABC', 'ABC_', '____']) expect(() => validateExistingName(name), name).not.to.throw()
    for (const name of ['ABC', 'abcd', 'A/B/C', '../ABCD']) expect(() => validateExistingName(name), name).to.throw(UserError)
  })
})
