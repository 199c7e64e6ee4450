import t from 'tap'
import type { Embedder } from '../../../src/infra/embedder/embedder.js'
import { withRecentTexts } from '../../../src/infra/embedder/recent-texts.js'
import { withStatus } from '../../../src/infra/embedder/transformers-embedder.js'
import { build } from '../../helpers/build.js'
import { testEmbedder } from '../../helpers/model.js'
import { clock, officerToken, seed } from '../../matching/fixtures.js'

/** The real test model, counting the texts it is asked to embed; `failNext` makes one call fail. */
async function countingModel() {
  const model = await testEmbedder()
  const asked: string[] = []
  let failNext = false
  const embedder: Embedder = {
    modelId: model.modelId,
    dimensions: model.dimensions,
    dtype: model.dtype,
    embed: async (texts) => {
      asked.push(...texts)
      if (failNext) {
        failNext = false
        throw new Error('model crashed')
      }
      return model.embed(texts)
    },
  }
  return { embedder, model, asked, failOnce: () => (failNext = true) }
}

t.test('a repeated text is embedded once, and gets the same vector', async (t) => {
  const { embedder, model, asked } = await countingModel()
  const cached = withRecentTexts(embedder, 2)
  const [first] = await cached.embed(['glacier melt'])
  const [again] = await cached.embed(['glacier melt'])
  t.same(asked, ['glacier melt'])
  t.same([...again!], [...first!])
  t.same([...first!], [...(await model.embed(['glacier melt']))[0]!], 'the vector the model gives')

  const both = await cached.embed(['protein folding', 'glacier melt', 'protein folding'])
  t.same(asked, ['glacier melt', 'protein folding'], 'only the new text, once')
  t.same([...both[0]!], [...both[2]!])
  await Promise.all([cached.embed(['sea ice']), cached.embed(['sea ice'])])
  t.same(asked.slice(2), ['sea ice'], 'two asks at once share one embedding')
  // Capacity 2: 'glacier melt' is the oldest now and was forgotten.
  await cached.embed(['glacier melt'])
  t.same(asked.slice(3), ['glacier melt'])
})

t.test('a failed embedding is not remembered', async (t) => {
  const { embedder, asked, failOnce } = await countingModel()
  const cached = withRecentTexts(embedder)
  failOnce()
  await t.rejects(cached.embed(['glacier melt']), /model crashed/)
  const [vector] = await cached.embed(['glacier melt'])
  t.equal(vector!.length, embedder.dimensions)
  t.same(asked, ['glacier melt', 'glacier melt'], 'the second ask reached the model')
})

t.test('an officer refining filters on one call text waits for the model once', async (t) => {
  const { embedder, asked } = await countingModel()
  const app = await build(t, { clock, embedder: { ...withStatus(embedder), queries: embedder } })
  await seed(app)
  const token = await officerToken(app)
  const text = 'Proposals on protein folding pathways and chaperone assisted folding'
  const search = (filters: object) =>
    app.inject({
      method: 'POST',
      url: '/v1/experts/search',
      headers: { authorization: `Bearer ${token}` },
      payload: { text, k: 5, filters },
    })
  const before = asked.filter((x) => x === text).length
  for (const filters of [{}, { minWorks: 2 }, { activeSince: 2022 }]) {
    const res = await search(filters)
    t.equal(res.statusCode, 200)
    t.same(res.json().signals, { lexical: true, dense: true })
  }
  t.equal(asked.filter((x) => x === text).length - before, 1, 'three searches, one embedding')
})
