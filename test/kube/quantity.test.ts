import {expect} from 'chai'

import {
  compareDec,
  decToString,
  halve,
  normalizeCpu,
  normalizeMemory,
  parseQuantity,
  pyFloatString,
  QuantityError,
} from '../../src/kube/quantity.js'
import {fixtureJson} from './fixtures.js'

interface Vectors {
  values: Array<{q: string; str: string; half: string; mem: string; cpu: string}>
  errors: Array<{q: string; error: string}>
}

describe('kube/quantity', () => {
  const vectors = fixtureJson<Vectors>('quantity-vectors.json')

  describe('matches CPython Decimal arithmetic (vectors from Python)', () => {
    for (const v of vectors.values) {
      it(`${JSON.stringify(v.q)}`, () => {
        const d = parseQuantity(v.q)
        expect(decToString(d), 'str(parse_quantity)').to.equal(v.str)
        expect(decToString(halve(d)), 'str(x / 2)').to.equal(v.half)
        expect(normalizeMemory(v.q), 'memory normalisation').to.equal(v.mem)
        expect(normalizeCpu(v.q), 'cpu normalisation').to.equal(v.cpu)
      })
    }
  })

  it('rejects what upstream rejects, with the same messages', () => {
    for (const v of vectors.errors) {
      expect(() => parseQuantity(v.q), v.q).to.throw(QuantityError, v.error)
    }
  })

  it('refuses absurd exponents instead of computing with them', () => {
    expect(() => parseQuantity('1e999999')).to.throw(QuantityError, 'Invalid number format: 1e999999')
    expect(decToString(parseQuantity('1e1000'))).to.equal('1E+1000')
  })

  it('compares exact values across exponents and signs', () => {
    expect(compareDec(parseQuantity('0.5Gi'), parseQuantity('512Mi'))).to.equal(0)
    expect(compareDec(parseQuantity('0.1'), parseQuantity('100m'))).to.equal(0)
    expect(compareDec(parseQuantity('1G'), parseQuantity('1Gi'))).to.equal(-1)
    expect(compareDec(parseQuantity('-1'), parseQuantity('-2'))).to.equal(1)
    expect(compareDec(parseQuantity('-1'), parseQuantity('0'))).to.equal(-1)
  })

  it('formats floats like Python repr', () => {
    const cases: Array<[number, string]> = [
      [1, '1.0'],
      [0.5, '0.5'],
      [0.931, '0.931'],
      [1e16, '1e+16'],
      [123456789012345.6, '123456789012345.6'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [-2.5, '-2.5'],
      [0, '0.0'],
    ]
    for (const [x, text] of cases) expect(pyFloatString(x), String(x)).to.equal(text)
  })
})
