// Seeded randomness. Everything the generator emits must be a pure function of the seed, so
// nothing here may touch Math.random or the clock.

export class Rng {
  private state: number

  constructor(seed: number) {
    // Scramble the seed so that nearby seeds (1, 2, 3…) do not start on correlated states.
    this.state = hash32(seed >>> 0, 0x9e3779b9)
  }

  /** mulberry32: tiny, fast and good enough for synthetic data (not for cryptography). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  float(min: number, max: number): number {
    return min + this.next() * (max - min)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick() from an empty list')
    return items[Math.floor(this.next() * items.length)]!
  }

  /** Standard normal via Box–Muller (one value per call; the twin is discarded for simplicity). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next()
    const v = this.next()
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** Pareto-distributed value ≥ 1: heavy tail for productivity, institution size and the like. */
  pareto(alpha: number, cap = Number.POSITIVE_INFINITY): number {
    return Math.min(cap, (1 - this.next()) ** (-1 / alpha))
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const tmp = items[i]!
      items[i] = items[j]!
      items[j] = tmp
    }
    return items
  }

  /** An independent stream, so that adding draws in one phase does not shift every later phase. */
  fork(label: number): Rng {
    return new Rng(hash32(this.state ^ Math.imul(label, 0x85ebca6b), label))
  }
}

export function hash32(a: number, b: number): number {
  let h = Math.imul(a ^ 0x5bd1e995, 0x27d4eb2d) ^ Math.imul(b, 0x165667b1)
  h ^= h >>> 15
  h = Math.imul(h, 0x2c1b3c6d)
  h ^= h >>> 12
  h = Math.imul(h, 0x297a2d39)
  h ^= h >>> 15
  return h >>> 0
}

/** Weights 1/rank^s: the classic Zipf shape of word frequencies and topic popularity. */
export function zipfWeights(n: number, s = 1): number[] {
  const weights = new Array<number>(n)
  for (let i = 0; i < n; i++) weights[i] = 1 / (i + 1) ** s
  return weights
}

/**
 * Weighted sampling in O(1) per draw (Vose's alias method). Abstracts draw hundreds of words
 * per work and works draw authors from 100k researchers, so a linear scan per draw is too slow.
 */
export class WeightedTable {
  private readonly prob: Float64Array
  private readonly alias: Int32Array
  readonly size: number

  constructor(weights: ArrayLike<number>) {
    const n = weights.length
    if (n === 0) throw new Error('WeightedTable needs at least one weight')
    let total = 0
    for (let i = 0; i < n; i++) {
      const w = weights[i]!
      if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`invalid weight ${w} at ${i}`)
      total += w
    }
    if (total <= 0) throw new Error('WeightedTable needs a positive total weight')
    this.size = n
    this.prob = new Float64Array(n)
    this.alias = new Int32Array(n)
    const scaled = new Float64Array(n)
    const small = new Int32Array(n)
    const large = new Int32Array(n)
    let ns = 0
    let nl = 0
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i]! * n) / total
      if (scaled[i]! < 1) small[ns++] = i
      else large[nl++] = i
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns]!
      const l = large[--nl]!
      this.prob[s] = scaled[s]!
      this.alias[s] = l
      scaled[l] = scaled[l]! + scaled[s]! - 1
      if (scaled[l]! < 1) small[ns++] = l
      else large[nl++] = l
    }
    // Leftovers are 1 up to rounding error.
    while (nl > 0) this.prob[large[--nl]!] = 1
    while (ns > 0) this.prob[small[--ns]!] = 1
  }

  sample(rng: Rng): number {
    const u = rng.next() * this.size
    const i = Math.floor(u)
    return u - i < this.prob[i]! ? i : this.alias[i]!
  }
}

/** A weighted choice among a fixed list of values. */
export class WeightedChoice<T> {
  private readonly table: WeightedTable

  constructor(
    private readonly values: readonly T[],
    weights: readonly number[],
  ) {
    if (values.length !== weights.length) throw new Error('values and weights differ in length')
    this.table = new WeightedTable(weights)
  }

  sample(rng: Rng): T {
    return this.values[this.table.sample(rng)]!
  }
}
