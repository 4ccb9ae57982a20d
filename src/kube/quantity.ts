// Kubernetes quantities as jobs-api and webservice handle them. Both parse quantities into Python
// `Decimal`s and write results back with `str(Decimal)` or `str(float(...))`, and the exact text ends up
// in the generated objects (`"0.250"`, `"1073741824.0"`, `"0.931Gi"`). To produce the same strings we
// keep the Decimal shape (integer coefficient + base-10 exponent) instead of using JS numbers.

/** An exact decimal value: `sign * coef * 10**exp`, with Python Decimal's notion of exponent. */
export interface Dec {
  readonly negative: boolean
  readonly coef: bigint
  readonly exp: number
}

const DECIMAL_EXPONENTS: Record<string, number> = {n: -3, u: -2, m: -1, k: 1, K: 1, M: 2, G: 3, T: 4, P: 5, E: 6}

// Python's Decimal() constructor syntax, including surrounding whitespace and digit underscores.
const DECIMAL_SYNTAX = /^\s*([+-]?)(\d(?:_?\d)*)?(?:\.(\d(?:_?\d)*)?)?(?:[eE]([+-]?\d(?:_?\d)*))?\s*$/

const MAX_EXPONENT = 1000

export class QuantityError extends Error {}

export function parseDecimal(text: string): Dec | undefined {
  const m = DECIMAL_SYNTAX.exec(text)
  if (!m || (m[2] === undefined && m[3] === undefined)) return undefined
  const intPart = (m[2] ?? '').replaceAll('_', '')
  const fracPart = (m[3] ?? '').replaceAll('_', '')
  const exponent = m[4] === undefined ? 0 : Number(m[4].replaceAll('_', ''))
  // Python would take `1e999999`, but exact arithmetic on it would stall a server fed untrusted input.
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined
  return {negative: m[1] === '-', coef: BigInt(intPart + fracPart || '0'), exp: exponent - fracPart.length}
}

/**
 * The quantity parser shared by jobs-api and webservice (toolforge-weld's copy of the Kubernetes Python
 * client's `parse_quantity`): a Decimal number followed by an optional binary (`Ki`…`Ei`) or decimal
 * (`n`, `u`, `m`, `k`, `M`…`E`) suffix. Throws with the upstream error texts.
 */
export function parseQuantity(quantity: string): Dec {
  let number = quantity
  let suffix = ''
  if (quantity.length >= 2 && quantity.endsWith('i') && Object.hasOwn(DECIMAL_EXPONENTS, quantity[quantity.length - 2])) {
    number = quantity.slice(0, -2)
    suffix = quantity.slice(-2)
  } else if (quantity.length >= 1 && Object.hasOwn(DECIMAL_EXPONENTS, quantity[quantity.length - 1])) {
    number = quantity.slice(0, -1)
    suffix = quantity.slice(-1)
  }

  const value = parseDecimal(number)
  if (!value) throw new QuantityError(`Invalid number format: ${number}`)
  if (suffix === '') return value

  const power = DECIMAL_EXPONENTS[suffix[0]]
  if (suffix.length === 2) {
    // Upstream rejects only `ki`; `mi`, `ui` and `ni` are read as negative powers of 1024.
    if (suffix === 'ki') throw new QuantityError(`${quantity} has unknown suffix`)
    if (power >= 0) return {...value, coef: value.coef * 1024n ** BigInt(power)}
    // 1024**-n == 5**(10n) / 10**(10n), which is how Decimal holds the exact power.
    return {...value, coef: value.coef * 5n ** BigInt(-10 * power), exp: value.exp + 10 * power}
  }
  // 1000 ** Decimal(n) is exact, so a negative power only moves the exponent.
  return power >= 0 ? {...value, coef: value.coef * 1000n ** BigInt(power)} : {...value, exp: value.exp + 3 * power}
}

export function isQuantity(text: string): boolean {
  try {
    parseQuantity(text)
    return true
  } catch {
    return false
  }
}

/** Python's exact `Decimal / 2`: keep the exponent when the coefficient is even, else gain one digit. */
export function halve(value: Dec): Dec {
  if (value.coef % 2n === 0n) return {...value, coef: value.coef / 2n}
  return {...value, coef: value.coef * 5n, exp: value.exp - 1}
}

/** Three-way comparison of the exact values. */
export function compareDec(a: Dec, b: Dec): number {
  const sa = a.coef === 0n ? 0 : a.negative ? -1 : 1
  const sb = b.coef === 0n ? 0 : b.negative ? -1 : 1
  if (sa !== sb) return sa < sb ? -1 : 1
  const e = Math.min(a.exp, b.exp)
  const ca = a.coef * 10n ** BigInt(a.exp - e)
  const cb = b.coef * 10n ** BigInt(b.exp - e)
  if (ca === cb) return 0
  return (ca < cb ? -1 : 1) * (sa === 0 ? 1 : sa)
}

/** `str(Decimal)`: plain notation unless the exponent is positive or the value is tiny. */
export function decToString(value: Dec): string {
  const digits = value.coef.toString()
  const sign = value.negative ? '-' : ''
  const adjusted = value.exp + digits.length - 1
  if (value.exp <= 0 && adjusted >= -6) {
    if (value.exp === 0) return sign + digits
    const point = digits.length + value.exp
    if (point > 0) return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
    return `${sign}0.${'0'.repeat(-point)}${digits}`
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
  return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`
}

/** `float(Decimal)`, correctly rounded like CPython. */
export function decToNumber(value: Dec): number {
  return Number(`${value.negative ? '-' : ''}${value.coef}e${value.exp}`)
}

/** `repr(float)` / `str(float)` in Python 3: shortest round-trip digits, `.0` on integers. */
export function pyFloatString(x: number): string {
  if (Number.isNaN(x)) return 'nan'
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf'
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0'
  const [mantissa, expText] = x.toExponential().split('e')
  const exponent = Number(expText)
  const negative = mantissa.startsWith('-')
  const digits = mantissa.replace('-', '').replace('.', '')
  const sign = negative ? '-' : ''
  if (exponent >= -4 && exponent < 16) {
    const point = exponent + 1
    if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`
    if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
  }
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
  return `${sign}${mant}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
}

const GIBI = 1n << 30n

/**
 * jobs-api's memory normalisation: bytes / 2**30, quantized to 3 decimals (ROUND_HALF_EVEN), then
 * `str(float(...)) + "Gi"` — `512Mi` → `0.5Gi`, `1G` → `0.931Gi`, `2Gi` → `2.0Gi`.
 */
export function normalizeMemory(memory: string): string {
  const value = parseQuantity(memory)
  // value * 1000 / 2**30 as an exact fraction num/den, rounded half-even to an integer.
  let num = value.coef * 1000n
  let den = GIBI
  if (value.exp >= 0) num *= 10n ** BigInt(value.exp)
  else den *= 10n ** BigInt(-value.exp)
  let q = num / den
  const r2 = (num % den) * 2n
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n
  const thousandths = value.negative ? -q : q
  return `${pyFloatString(Number(`${thousandths}e-3`))}Gi`
}

/** jobs-api's cpu normalisation: `str(float(parse_quantity(cpu)))` — `500m` → `0.5`, `1` → `1.0`. */
export function normalizeCpu(cpu: string): string {
  return pyFloatString(decToNumber(parseQuantity(cpu)))
}
