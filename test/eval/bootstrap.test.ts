import t from 'tap'
import { ratioInterval } from '../../src/eval/bootstrap.js'

t.test('a ratio that holds on every query has no spread', async (t) => {
  const baseline = Array.from({ length: 50 }, (_, i) => (i % 7) / 10 + 0.1)
  t.same(
    ratioInterval(
      baseline.map((b) => 2 * b),
      baseline,
    ).map((x) => Number(x.toFixed(9))),
    [2, 2],
  )
})

t.test('the interval holds the ratio of the means and narrows with more queries', async (t) => {
  // One method finds a query's target where the other does not, query by query.
  const sample = (n: number) => ({
    service: Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : i % 4 === 1 ? 0.5 : 0)),
    baseline: Array.from({ length: n }, (_, i) => (i % 4 === 2 ? 1 : i % 4 === 1 ? 0.5 : 0)),
  })
  const small = sample(40)
  const [low, high] = ratioInterval(small.service, small.baseline)
  t.ok(low < 1 && 1 < high, `equal means: ${low.toFixed(2)}–${high.toFixed(2)} holds 1`)
  const large = sample(4000)
  const [lowLarge, highLarge] = ratioInterval(large.service, large.baseline, { resamples: 300 })
  t.ok(highLarge - lowLarge < (high - low) / 5, 'a hundred times the queries, a much narrower interval')
  t.same(ratioInterval(small.service, small.baseline), [low, high], 'seeded: the same every run')
  t.throws(() => ratioInterval([1], [1, 2]), /paired/)
})
