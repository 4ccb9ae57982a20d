import {expect} from 'chai'

import {ShlexError, shlexSplit} from '../../src/kube/shlex.js'
import {fixtureJson} from './fixtures.js'

describe('kube/shlex', () => {
  for (const v of fixtureJson<Array<{in: string; out?: string[]; error?: string}>>('shlex-vectors.json')) {
    it(`splits ${JSON.stringify(v.in)} like Python shlex.split`, () => {
      if (v.error) expect(() => shlexSplit(v.in)).to.throw(ShlexError, v.error)
      else expect(shlexSplit(v.in)).to.deep.equal(v.out)
    })
  }
})
