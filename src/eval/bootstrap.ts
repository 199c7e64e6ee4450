import { Rng } from '../generate/random.js'

/**
 * A percentile bootstrap interval for the ratio of two methods' mean metric over the same queries:
 * queries are resampled with replacement, in pairs, so what both methods found easy or hard moves
 * together. Seeded, so a run prints the same interval for the same numbers.
 */
export function ratioInterval(
  numerator: readonly number[],
  denominator: readonly number[],
  { resamples = 2000, level = 0.95, seed = 1 } = {},
): [low: number, high: number] {
  const n = numerator.length
  if (n === 0 || n !== denominator.length) throw new Error('ratioInterval needs paired, non-empty samples')
  const rng = new Rng(seed)
  const ratios: number[] = []
  for (let r = 0; r < resamples; r++) {
    let top = 0
    let bottom = 0
    for (let i = 0; i < n; i++) {
      const pick = rng.int(0, n - 1)
      top += numerator[pick]!
      bottom += denominator[pick]!
    }
    ratios.push(bottom === 0 ? Number.POSITIVE_INFINITY : top / bottom)
  }
  ratios.sort((a, b) => a - b)
  const tail = (1 - level) / 2
  return [ratios[Math.floor(tail * (resamples - 1))]!, ratios[Math.ceil((1 - tail) * (resamples - 1))]!]
}
