// jobs-api expands cron macros with `random.seed(f"{tool} {job}")` + `random.randint` (Q-K8S-02). To
// give every job the same minute/hour as the real API we reimplement the parts of CPython's `random`
// module involved: the MT19937 generator, `init_by_array` seeding from a str (seed version 2: the UTF-8
// bytes followed by their SHA-512, read as one big-endian integer) and `randint` via `getrandbits`.

import {createHash} from 'node:crypto'

const N = 624
const M = 397

export class PythonRandom {
  private readonly mt = new Uint32Array(N)
  private index = N + 1

  constructor(seed: string) {
    const bytes = Buffer.from(seed, 'utf8')
    const material = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()])
    this.initByArray(keyWords(material))
  }

  /** `random.randint(a, b)`: both ends included. */
  randint(a: number, b: number): number {
    return a + this.randbelow(b - a + 1)
  }

  private randbelow(n: number): number {
    const k = 32 - Math.clz32(n)
    let r = this.getrandbits(k)
    while (r >= n) r = this.getrandbits(k)
    return r
  }

  private getrandbits(k: number): number {
    if (k === 0) return 0
    return this.next() >>> (32 - k)
  }

  private initGenrand(s: number): void {
    const mt = this.mt
    mt[0] = s >>> 0
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30)
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0
    }
    this.index = N
  }

  private initByArray(key: number[]): void {
    const mt = this.mt
    this.initGenrand(19650218)
    let i = 1
    let j = 0
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30)
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0
      i++
      j++
      if (i >= N) {
        mt[0] = mt[N - 1]
        i = 1
      }
      if (j >= key.length) j = 0
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30)
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0
      i++
      if (i >= N) {
        mt[0] = mt[N - 1]
        i = 1
      }
    }
    mt[0] = 0x80000000
  }

  private next(): number {
    const mt = this.mt
    if (this.index >= N) {
      for (let kk = 0; kk < N; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[(kk + 1) % N] & 0x7fffffff)
        mt[kk] = mt[(kk + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
      }
      this.index = 0
    }
    let y = mt[this.index++]
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }
}

/** The big-endian integer's 32-bit words, least significant first, as CPython's seeding reads them. */
function keyWords(bigEndian: Buffer): number[] {
  let start = 0
  while (start < bigEndian.length && bigEndian[start] === 0) start++
  const significant = bigEndian.subarray(start)
  if (significant.length === 0) return [0]
  const words: number[] = []
  for (let end = significant.length; end > 0; end -= 4) {
    let word = 0
    for (let b = Math.max(0, end - 4); b < end; b++) word = ((word << 8) | significant[b]) >>> 0
    words.push(word)
  }
  return words
}
