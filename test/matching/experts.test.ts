import { type SQL, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import type { Database } from '../../src/infra/db/database.js'
import type { Embedder } from '../../src/infra/embedder/embedder.js'
import { withStatus } from '../../src/infra/embedder/transformers-embedder.js'
import { CandidatesRepository } from '../../src/matching/candidates-repository.js'
import { ExpertsRepository } from '../../src/matching/experts-repository.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { testEmbedder, testEmbedderOption } from '../helpers/model.js'
import { clock, officerToken, seed } from './fixtures.js'

const FOLDING_CALL =
  'We invite proposals on protein folding pathways, chaperone assisted folding and molecular dynamics simulations.'

/** POSTs `payload` to `url` with `token`'s authorization. */
function postAs(app: FastifyInstance, token: string, url: string, payload: object) {
  return app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload })
}

t.test('expert search: topical experts first, with evidence works', async (t) => {
  const app = await build(t, { clock })
  const ids = await seed(app)
  const token = await officerToken(app)
  const res = await postAs(app, token, '/v1/experts/search', { text: FOLDING_CALL, k: 10 })
  t.equal(res.statusCode, 200)
  const body = res.json()
  const ranked = body.items.map((e: { researcher: { id: number } }) => e.researcher.id)
  const folding = ['A1', 'A2', 'A3', 'A4', 'A8'].map((x) => ids.get(x))
  t.same(new Set(ranked.slice(0, 5)), new Set(folding), 'the five folding researchers come first')
  t.ok(ranked.indexOf(ids.get('A5')) === -1 || ranked.indexOf(ids.get('A5')) >= 5)
  const top = body.items[0]
  t.ok(top.evidence.length > 0 && top.evidence[0].similarity > 0)
  t.match(top.evidence[0].title, /fold|chaperone/i, 'evidence names a real work')
  t.same(body.signals, { lexical: true, dense: false })
})

t.test('expert search: last active year of each expert shown, and the activeSince filter', async (t) => {
  const app = await build(t, { clock })
  const ids = await seed(app)
  const token = await officerToken(app)
  const search = async (filters: object) => {
    const res = await postAs(app, token, '/v1/experts/search', { text: FOLDING_CALL, k: 10, filters })
    t.equal(res.statusCode, 200)
    const items: { researcher: { id: number; works: number; lastActiveYear: number | null } }[] =
      res.json().items
    return new Map(items.map((e) => [e.researcher.id, e.researcher]))
  }
  const all = await search({})
  // Ada: works of 2023, 2022 and 2020; Hal: one work of 2021 (see the fixtures).
  t.same(all.get(ids.get('A1')!), { ...all.get(ids.get('A1')!), works: 3, lastActiveYear: 2023 })
  t.same(all.get(ids.get('A8')!), { ...all.get(ids.get('A8')!), works: 1, lastActiveYear: 2021 })
  t.equal(all.get(ids.get('A3')!)?.lastActiveYear, 2023)
  const recent = await search({ activeSince: 2022 })
  t.notOk(recent.has(ids.get('A8')!), 'an expert whose last work is older is left out')
  t.ok(
    ['A1', 'A2', 'A3', 'A4'].every((x) => recent.get(ids.get(x)!)?.lastActiveYear === 2023),
    'the others stay, with their last active year',
  )
  const prolific = await search({ minWorks: 2 })
  t.same(
    [...prolific.values()].filter((r) => r.works < 2),
    [],
    'minWorks leaves out researchers with fewer works',
  )
  t.ok(prolific.has(ids.get('A1')!) && !prolific.has(ids.get('A8')!), 'Ada (3 works) stays, Hal (1) goes')
})

t.test('expert search with a model: lexical and dense candidates, both signals scored', async (t) => {
  const app = await build(t, { clock, embedder: await testEmbedderOption() })
  const ids = await seed(app)
  const token = await officerToken(app)
  const search = (text: string, conflicts: object = {}) =>
    postAs(app, token, '/v1/experts/search', { text, k: 20, conflicts })
  const res = await search(FOLDING_CALL)
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(body.signals, { lexical: true, dense: true })
  t.ok(body.items.every((e: { components: { dense: unknown } }) => typeof e.components.dense === 'number'))
  const ranked = body.items.map((e: { researcher: { id: number } }) => e.researcher.id)
  // The test model's weights are random: only the lexical signal knows the topic, so it is enough
  // that the folding researchers are all found and the best one is among them.
  const folding = ['A1', 'A2', 'A3', 'A4', 'A8'].map((x) => ids.get(x))
  t.ok(
    folding.every((id) => ranked.includes(id)),
    'every folding researcher is a candidate',
  )
  t.ok(folding.includes(ranked[0]), 'a folding researcher comes first')
  const without = await search(FOLDING_CALL, { excludeResearcherIds: [ids.get('A1')] })
  t.notOk(
    without.json().items.some((e: { researcher: { id: number } }) => e.researcher.id === ids.get('A1')),
    'exclusions apply to candidates from every source',
  )
  // No term survives the analyser, but the model still reads the text: dense candidates only.
  const denseOnly = await search('!!! ??? ...')
  t.equal(denseOnly.statusCode, 200)
  t.ok(denseOnly.json().items.length > 0, 'dense candidates alone still give experts')
})

t.test("with a query process, a search does not wait for the worker's model", async (t) => {
  const model = await testEmbedder()
  // The worker's process; once `busy` is set it is in the middle of a long batch and answers
  // nothing until released.
  let busy: Promise<void> | null = null
  let release = () => {}
  const bulk: Embedder = {
    modelId: model.modelId,
    dimensions: model.dimensions,
    dtype: model.dtype,
    embed: async (texts) => {
      await busy
      return model.embed(texts)
    },
  }
  t.teardown(() => release())
  const app = await build(t, { clock, embedder: { ...withStatus(bulk), queries: model } })
  await seed(app)
  busy = new Promise<void>((resolve) => {
    release = resolve
  })
  const token = await officerToken(app)
  const res = await postAs(app, token, '/v1/experts/search', { text: FOLDING_CALL, k: 5 })
  t.equal(res.statusCode, 200)
  t.same(res.json().signals, { lexical: true, dense: true }, 'the text was embedded, by the query process')
  t.ok(res.json().items.length > 0)
})

t.test('expert search: conflicts of interest are left out exactly', async (t) => {
  const app = await build(t, { clock })
  const ids = await seed(app)
  const token = await officerToken(app)
  const search = async (conflicts: object, filters: object = {}) => {
    const res = await postAs(app, token, '/v1/experts/search', {
      text: FOLDING_CALL,
      k: 20,
      conflicts,
      filters,
    })
    t.equal(res.statusCode, 200)
    return new Set(res.json().items.map((e: { researcher: { id: number } }) => e.researcher.id))
  }
  const all = await search({})
  // A1 applies: A1 itself, co-author A2 (2023) and A6 at A1's institution go; nobody else.
  const without = await search({ applicantIds: [ids.get('A1')] })
  const gone = [...all].filter((id) => !without.has(id))
  t.same(new Set(gone), new Set([ids.get('A1'), ids.get('A2'), ids.get('A6')].filter((id) => all.has(id))))
  // A conflict window of zero years keeps only co-authorships from this year.
  const zero = await search({
    applicantIds: [ids.get('A1')],
    coauthorYears: 0,
    excludeApplicantInstitutions: false,
  })
  t.ok(zero.has(ids.get('A2')), 'no joint work in 2024: no co-author conflict')
  t.notOk(zero.has(ids.get('A1')))
  const explicit = await search({ excludeResearcherIds: [ids.get('A3')] })
  t.same(
    [...all].filter((id) => !explicit.has(id)),
    [ids.get('A3')],
  )
  const filtered = await search({}, { countries: ['DE'] })
  t.same(filtered, new Set([ids.get('A3'), ids.get('A4')]))
})

t.test('affinity: over the newest 32 works, though works and last active year count all', async (t) => {
  const app = await build(t, { clock })
  const glacier = (i: number) => ({
    id: `old${i}`,
    title: 'Glacier ice sheet melt and sea level',
    abstract: 'Arctic glacier ice sheet melt measured by satellite altimetry.',
    publication_year: 1990 + i,
    authorships: [{ author: { id: 'P1', display_name: 'Pat Prolific' } }],
  })
  const compilers = Array.from({ length: 32 }, (_, i) => ({
    id: `new${i}`,
    title: `Register allocation in optimising compilers ${i}`,
    abstract: 'Loop vectorization and register allocation for bytecode compilers.',
    publication_year: 2000 + (i % 20),
    authorships: [{ author: { id: 'P1', display_name: 'Pat Prolific' } }],
  }))
  await app.services.ingest.importBatch([glacier(0), ...compilers])
  await app.services.embeddingWorker.drain()
  const [id] = (await app.services.experts.researcherIdsByExternalId(['P1'])).values()
  const token = await officerToken(app)
  const affinity = async () => {
    const res = await postAs(app, token, '/v1/experts/affinity', {
      text: 'glacier ice sheet melt',
      researcherIds: [id],
    })
    t.equal(res.statusCode, 200)
    return res.json().items[0]
  }
  t.equal((await affinity()).score, 0, 'the 33rd newest work does not count')
  // One more glacier work, newer than every compiler work: it counts.
  await app.services.ingest.importBatch([{ ...glacier(1), id: 'recent', publication_year: 2024 }])
  await app.services.embeddingWorker.drain()
  const recent = await affinity()
  t.ok(recent.score > 0.3, `a newest work counts (${recent.score})`)
  t.same(
    recent.evidence.map((w: { id: number; year: number }) => w.year),
    [2024, ...recent.evidence.slice(1).map((w: { year: number }) => w.year)],
  )
  t.notOk(
    recent.evidence.some((w: { year: number }) => w.year === 1990),
    'the oldest work is not evidence',
  )
  const search = await postAs(app, token, '/v1/experts/search', { text: 'glacier ice sheet melt', k: 5 })
  const hit = search.json().items.find((e: { researcher: { id: number } }) => e.researcher.id === id)
  t.same(
    { works: hit?.researcher.works, lastActiveYear: hit?.researcher.lastActiveYear },
    {
      works: 34,
      lastActiveYear: 2024,
    },
  )
})

t.test('affinity: a score for each named researcher; access and bad input', async (t) => {
  const app = await build(t, { clock })
  const ids = await seed(app)
  const token = await officerToken(app)
  const post = (url: string, payload: object, auth = token) =>
    app.inject({ method: 'POST', url, headers: auth ? { authorization: `Bearer ${auth}` } : {}, payload })
  const res = await post('/v1/experts/affinity', {
    text: FOLDING_CALL,
    researcherIds: [ids.get('A5'), ids.get('A3')],
  })
  t.equal(res.statusCode, 200)
  const [glacier, chaperone] = res.json().items
  t.equal(glacier.researcherId, ids.get('A5'))
  t.ok(chaperone.score > glacier.score, 'the folding researcher scores higher')
  t.equal(glacier.score, 0)

  t.equal((await post('/v1/experts/affinity', { text: 'x', researcherIds: [999999] })).statusCode, 404)
  t.equal((await post('/v1/experts/affinity', { text: '', researcherIds: [ids.get('A1')] })).statusCode, 400)
  t.equal(
    (await post('/v1/experts/affinity', { text: '   ', researcherIds: [ids.get('A1')] })).statusCode,
    400,
  )
  const stopwords = await post('/v1/experts/affinity', { text: 'the of and', researcherIds: [ids.get('A1')] })
  t.equal(stopwords.statusCode, 400)
  t.equal(stopwords.json().error.code, 'BAD_REQUEST')
  t.equal((await post('/v1/experts/search', { text: FOLDING_CALL, k: 0 })).statusCode, 400)
  t.equal((await post('/v1/experts/search', { text: FOLDING_CALL, k: 101 })).statusCode, 400)
  t.equal(
    (await post('/v1/experts/search', { text: FOLDING_CALL, conflicts: { applicantIds: [999999] } }))
      .statusCode,
    404,
  )
  t.equal((await post('/v1/experts/search', { text: FOLDING_CALL }, '')).statusCode, 401)
  const researcher = await officerToken(app, 'researcher')
  t.equal((await post('/v1/experts/search', { text: FOLDING_CALL }, researcher)).statusCode, 403)
  t.equal(
    (await post('/v1/experts/affinity', { text: FOLDING_CALL, researcherIds: [1] }, researcher)).statusCode,
    403,
  )
})

/**
 * `database` with every statement run inside a transaction recorded: the kNN statements run in one,
 * under the HNSW settings (see knnRows).
 */
function recordingTransactions(database: Database) {
  const recorded: { settings: SQL[]; statement: SQL }[] = []
  const db = new Proxy(database.db, {
    get(target, property, receiver) {
      if (property !== 'transaction') return Reflect.get(target, property, receiver)
      return (work: (tx: unknown) => Promise<unknown>) =>
        target.transaction((tx) => {
          const settings: SQL[] = []
          const recordingTx = new Proxy(tx, {
            get(t, p, r) {
              if (p !== 'execute') return Reflect.get(t, p, r)
              return (query: SQL) => {
                recorded.push({ settings: [...settings], statement: query })
                settings.push(query)
                return t.execute(query)
              }
            },
          })
          return work(recordingTx)
        })
    },
  })
  return { database: { ...database, kind: database.kind, db, rows: database.rows.bind(database) }, recorded }
}

t.test("EXPLAIN: the service's kNN statements use the HNSW indexes", async (t) => {
  const db = await freshDatabase()
  const { database, recorded } = recordingTransactions(db)
  const vector = `[${Array.from({ length: 384 }, (_, i) => (i === 0 ? 1 : 0)).join(',')}]`
  const sparse = '{1:1}/16777216'
  // One model's vectors for a few thousand works, analysed: on an empty table a model_id index and
  // a sort look cheaper than any kNN index, as they are for a handful of rows.
  await db.rows(sql`insert into works (external_id, title, content_hash)
    select 'w' || g, 'Work ' || g, 'h' || g from generate_series(1, 3000) g`)
  await db.rows(sql`insert into work_embeddings (work_id, model_id, dtype, text_hash, embedding)
    select w.id, 'm', 'fp32', w.content_hash,
           (select array_agg(((w.id * 7919 + i * 104729) % 1000) / 1000.0 - 0.5) from generate_series(1, 384) i)::vector
      from works w`)
  await db.rows(sql`analyze works`)
  await db.rows(sql`analyze work_embeddings`)
  const experts = new ExpertsRepository(database)
  await experts.lexicalNeighbours(sparse, 10)
  await experts.centroidCandidates(
    { lexical: sparse, dense: { vector, modelId: 'm' } },
    [1, 2],
    { lexicalResearchers: 10, denseWorks: 10, denseResearchers: 10 },
    new Set(),
    true,
  )
  await new CandidatesRepository(database).neighboursOf(1, 'm', 10)
  const plans: string[] = []
  for (const { settings, statement } of recorded.filter((r) => r.settings.length > 0)) {
    plans.push(
      await db.db.transaction(async (tx) => {
        for (const setting of settings) await tx.execute(setting)
        const result = (await tx.execute(sql`explain ${statement}`)) as unknown as
          | Record<string, string>[]
          | { rows: Record<string, string>[] }
        return (Array.isArray(result) ? result : result.rows).map((r) => Object.values(r)[0]).join('\n')
      }),
    )
  }
  t.equal(plans.length, 4, "four kNN statements: lexical, two dense sources, a researcher's neighbours")
  for (const index of [
    'researcher_lexical_centroid_hnsw',
    'work_embeddings_embedding_hnsw',
    'researcher_embeddings_embedding_hnsw',
    'researcher_lexical_group_centroid_hnsw',
  ])
    t.ok(
      plans.some((plan) => plan.includes(index)),
      `${index} is used`,
    )
  t.notOk(
    plans.some((plan) =>
      /Seq Scan on (works|researchers|work_embeddings|researcher_embeddings)\b/.test(plan),
    ),
    'no sequential scans of the large tables',
  )
})
