import {expect} from 'chai'
import {runInNewContext} from 'node:vm'

// @ts-expect-error: a plain JavaScript build script, without type declarations
import {escapeNonAscii} from '../../scripts/build-vendor.js'

const escape = escapeNonAscii as (code: string) => string

describe('build: bundles run through the code cache are ASCII', () => {
  it('escapes characters in regular expressions and strings, and those in comments, keeping what the code does', () => {
    const code = "// Grüße\nexports.strip = (s) => s.replace(/[\\u001b\u009b]x/g, ''); exports.snow = '☃ 😀'\n"
    const escaped = escape(code)
    expect(escaped).to.match(/^[\x00-\x7f]*$/)
    const run = (source: string) => {
      const module = {exports: {} as {strip: (s: string) => string; snow: string}}
      runInNewContext(source, {exports: module.exports})
      return module.exports
    }

    const [before, after] = [run(code), run(escaped)]
    expect(after.strip('a\u009bxb\u001bxc')).to.equal(before.strip('a\u009bxb\u001bxc')).and.to.equal('abc')
    expect(after.snow).to.equal(before.snow).and.to.equal('☃ 😀')
  })

  it('leaves ASCII code as it is', () => {
    const code = 'exports.a = "plain"\n'
    expect(escape(code)).to.equal(code)
  })

  it('fails where an escape would change the code', () => {
    expect(() => escape('exports.raw = String.raw`é`')).to.throw(/is in a \w*Template/)
    expect(() => escape("exports.s = /\\é/")).to.throw(/escaped non-ASCII/)
  })
})
