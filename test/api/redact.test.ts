import {expect} from 'chai'

import {extractErrorMessage} from '../../src/api/http-errors.js'
import {REDACTED, redact, redactAndCut, secretForms, traceBody} from '../../src/api/redact.js'

describe('redaction of secrets a server quotes back', () => {
  it('hides the raw, trimmed, JSON-, Go- and ASCII-escaped spellings', () => {
    const secret = 'Build&Secret<1>\n"é"\u2028'
    const spellings = [
      secret,
      secret.trim(),
      'Build&Secret<1>\\n\\"é\\"\u2028',
      'Build\\u0026Secret\\u003c1\\u003e\\n\\"é\\"\\u2028',
      'Build&Secret<1>\\n\\"\\u00e9\\"\\u2028',
    ]
    for (const spelling of spellings) expect(secretForms(secret)).to.include(spelling)
    for (const spelling of spellings) expect(redact(`x ${spelling} y`, [secret])).to.equal(`x ${REDACTED} y`)
  })

  it('ignores secrets too short to hide anything', () => {
    expect(redact('a b c', ['b'])).to.equal('a b c')
    expect(secretForms('  ab  ')).to.deep.equal(['  ab  '])
  })

  it('hides a secret before cutting, so the cut cannot leave most of it', () => {
    const secret = 'S'.repeat(20) + 'x'.repeat(980)
    expect(redactAndCut(`value ${secret} rejected`, [secret], 500)).to.equal(`value ${REDACTED} rejected`)
  })

  it('hides the beginning of a secret that the cut left at the end', () => {
    const secret = 'PRIVATE' + 'k'.repeat(993)
    const cut = redactAndCut(`value ${secret.slice(0, 700)}`, [secret], 500)
    expect(cut).to.equal(`value ${REDACTED}…`)
    // Nothing is hidden that is not the beginning of a secret.
    expect(redactAndCut('y'.repeat(600), [secret], 500)).to.equal(`${'y'.repeat(500)}…`)
  })

  it('extractErrorMessage: a long plain-text body quoting a key', () => {
    const key = `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}\n`.repeat(12)
    const message = extractErrorMessage(`could not store ${key}`, [key])
    expect(message).to.equal(`could not store ${REDACTED}`)
    expect(extractErrorMessage(`could not store ${key}`)).to.have.length(501)
  })

  it('traceBody: the --debug limit cuts after hiding, and hides a cut secret', () => {
    const secret = 'T'.repeat(3000)
    expect(traceBody(`{"note": "${secret}"}`, {secrets: [secret], limit: 2000})).to.equal(`{"note": "${REDACTED}"}`)
    expect(traceBody(`{"note": "${secret.slice(0, 2500)}`, {secrets: [secret], limit: 2000})).to.equal(`{"note": "${REDACTED}…`)
  })
})
