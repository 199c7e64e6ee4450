import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import type { Embedder } from '../../src/infra/embedder/embedder.js'
import { withStatus } from '../../src/infra/embedder/transformers-embedder.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { signUp } from '../helpers/identity.js'
import { testEmbedder } from '../helpers/model.js'

const work = (id: string, title: string, abstract: string | null, year = 2020) => ({
  id,
  title,
  abstract,
  publication_year: year,
  authorships: [
    { author: { id: 'A1', display_name: 'Ann Lee' } },
    { author: { id: `A-${id}`, display_name: `Co ${id}` } },
  ],
})

const admin = async (app: FastifyInstance) => ({
  authorization: `Bearer ${(await signUp(app, 'admin')).token}`,
})

/** Counts what reaches the model, and can be told to fail. */
function countingEmbedder(inner: Embedder) {
  const calls: string[][] = []
  let failures = 0
  const embedder: Embedder = {
    modelId: inner.modelId,
    dtype: inner.dtype,
    dimensions: inner.dimensions,
    async embed(texts) {
      if (failures > 0) {
        failures--
        throw new Error('model crashed')
      }
      calls.push(texts)
      return inner.embed(texts)
    },
  }
  return { embedder, calls, failNext: (n: number) => (failures = n) }
}

async function appWith(t: Parameters<typeof build>[0], embedder: Embedder | null) {
  const database = await freshDatabase()
  const app = await build(t, {
    database,
    embedder: embedder ? withStatus(embedder) : undefined,
  })
  return { app, database }
}

t.test(
  'every imported work ends with a dense and a lexical vector; identical texts are embedded once',
  async (t) => {
    const counting = countingEmbedder(await testEmbedder())
    const { app, database } = await appWith(t, counting.embedder)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/works',
      headers: await admin(app),
      payload: {
        works: [
          work('W1', 'Graph networks for proteins', 'We fold proteins with graphs.'),
          work('W2', 'Graph networks for proteins', 'We fold proteins with graphs.'),
          work('W3', 'Coral reefs', null),
        ],
      },
    })
    t.equal(res.statusCode, 200, 'ingest answers before anything is embedded')
    const [queued] = await database.rows<{ n: number }>(sql`select count(*)::int as n from embedding_queue`)
    t.equal(queued?.n, 3, 'the trigger queued every new work')

    t.equal(await app.services.embeddingWorker.drain(), 3)
    t.same(
      counting.calls.flat().sort(),
      ['Coral reefs', 'Graph networks for proteins\nWe fold proteins with graphs.'],
      'the duplicate text reached the model once',
    )
    const rows = await database.rows<{
      workId: number
      modelId: string
      dims: number
      hasLexical: boolean
    }>(sql`
    select w.id as "workId", e.model_id as "modelId", vector_dims(e.embedding) as dims,
           l.work_id is not null as "hasLexical"
      from works w join work_embeddings e on e.work_id = w.id left join work_lexical l on l.work_id = w.id
     order by w.id`)
    t.same(
      rows.map((r) => [r.workId, r.modelId, r.dims, r.hasLexical]),
      [1, 2, 3].map((id) => [id, counting.embedder.modelId, 384, true]),
    )
    const [centroid] = await database.rows<{ works: number }>(
      sql`select works_count as works from researcher_embeddings e join researchers r on r.id = e.researcher_id where r.external_id = 'A1'`,
    )
    t.equal(centroid?.works, 3, 'the shared author has a centroid over all three works')
    const [left] = await database.rows<{ n: number }>(sql`select count(*)::int as n from embedding_queue`)
    t.equal(left?.n, 0)
  },
)

t.test('a changed text is embedded again; an unchanged re-import is not', async (t) => {
  const counting = countingEmbedder(await testEmbedder())
  const { app } = await appWith(t, counting.embedder)
  const headers = await admin(app)
  const push = (abstract: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/works',
      headers,
      payload: { works: [work('W1', 'Title', abstract)] },
    })
  await push('first')
  await app.services.embeddingWorker.drain()
  await push('first')
  t.equal(await app.services.embeddingWorker.drain(), 0, 'nothing queued by an identical re-import')
  await push('second')
  t.equal(await app.services.embeddingWorker.drain(), 1)
  t.same(counting.calls.flat(), ['Title\nfirst', 'Title\nsecond'])
})

t.test('a failing model is retried with backoff and nothing is lost', async (t) => {
  const counting = countingEmbedder(await testEmbedder())
  const { app, database } = await appWith(t, counting.embedder)
  await app.inject({
    method: 'POST',
    url: '/v1/works',
    headers: await admin(app),
    payload: { works: [work('W1', 'T1', 'a'), work('W2', 'T2', 'b')] },
  })
  counting.failNext(1)
  t.equal(await app.services.embeddingWorker.runOnce(), 0)
  const [failed] = await database.rows<{ attempts: number; error: string; later: boolean }>(sql`
    select max(attempts)::int as attempts, max(last_error) as error, bool_and(next_attempt_at > now()) as later
      from embedding_queue`)
  t.same(failed, { attempts: 1, error: 'model crashed', later: true }, 'backed off, error kept')
  await database.rows(sql`update embedding_queue set next_attempt_at = now()`)
  t.equal(await app.services.embeddingWorker.drain(), 2)
  const [stored] = await database.rows<{ n: number }>(sql`select count(*)::int as n from work_embeddings`)
  t.equal(stored?.n, 2)
})

t.test(
  'a worker that dies holding a lease loses nothing: the lease expires and another finishes',
  async (t) => {
    const { app, database } = await appWith(t, await testEmbedder())
    await app.inject({
      method: 'POST',
      url: '/v1/works',
      headers: await admin(app),
      payload: { works: [work('W1', 'T1', 'a'), work('W2', 'T2', 'b'), work('W3', 'T3', 'c')] },
    })
    const { EmbeddingRepository } = await import('../../src/embeddings/repository.js')
    const crashed = await new EmbeddingRepository(database).lease(2, 3600)
    t.equal(crashed.length, 2, 'the dead worker held two works')
    t.equal(await app.services.embeddingWorker.drain(), 1, 'a live worker skips leased rows')
    await database.rows(sql`update embedding_queue set leased_until = now() - interval '1 second'`)
    t.equal(await app.services.embeddingWorker.drain(), 2, 'expired leases are taken over')
    const [stored] = await database.rows<{ n: number; distinct: number }>(
      sql`select count(*)::int as n, count(distinct work_id)::int as distinct from work_embeddings`,
    )
    t.same(stored, { n: 3, distinct: 3 })
  },
)

t.test('a batch as large as the queue weights every work with the same corpus', async (t) => {
  // Batches are leased ahead of the one being stored; two leases at once on PostgreSQL split the
  // ready rows between them (SKIP LOCKED), and each half was weighted as if it were the corpus.
  const database = await freshDatabase()
  const app = await build(t, { database, config: { EMBEDDING_BATCH_SIZE: 10_000 } })
  const works = Array.from({ length: 4000 }, (_, i) =>
    work(`W${i}`, `Title ${i} graphs`, `abstract ${i % 50}`),
  )
  for (let i = 0; i < works.length; i += 1000) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/works',
      headers: await admin(app),
      payload: { works: works.slice(i, i + 1000) },
    })
    t.equal(res.statusCode, 200, res.body)
  }
  t.equal(await app.services.embeddingWorker.drain(), 4000)
  const sizes = await database.rows<{ corpusSize: number; n: number }>(
    sql`select corpus_size as "corpusSize", count(*)::int as n from work_lexical group by 1`,
  )
  t.same(sizes, [{ corpusSize: 4000, n: 4000 }], 'one batch, weighted with the whole corpus')
})

t.test('without a model the lexical vectors are still made and dense ones wait', async (t) => {
  const { app, database } = await appWith(t, null)
  await app.inject({
    method: 'POST',
    url: '/v1/works',
    headers: await admin(app),
    payload: { works: [work('W1', 'Protein graphs', 'x')] },
  })
  t.equal(await app.services.embeddingWorker.drain(), 1)
  const [row] = await database.rows<{ dense: number; lexical: number }>(sql`
    select (select count(*)::int from work_embeddings) as dense, (select count(*)::int from work_lexical) as lexical`)
  t.same(row, { dense: 0, lexical: 1 }, 'no made-up vectors')
  const ready = (await app.inject({ url: '/ready' })).json()
  t.match(ready, { status: 'ready', embeddings: { dense: 'unavailable', lexical: 'available' } })
})

t.test('GET /v1/admin/embedding-status is for admins and counts the queue', async (t) => {
  const { app } = await appWith(t, await testEmbedder())
  await app.inject({
    method: 'POST',
    url: '/v1/works',
    headers: await admin(app),
    payload: { works: [work('W1', 'T1', 'a'), work('W2', 'T2', 'b')] },
  })
  const token = async (role: 'admin' | 'researcher') => (await signUp(app, role)).token
  t.equal((await app.inject({ url: '/v1/admin/embedding-status' })).statusCode, 401)
  const forbidden = await app.inject({
    url: '/v1/admin/embedding-status',
    headers: { authorization: `Bearer ${await token('researcher')}` },
  })
  t.equal(forbidden.statusCode, 403)
  const asAdmin = { authorization: `Bearer ${await token('admin')}` }
  t.match((await app.inject({ url: '/v1/admin/embedding-status', headers: asAdmin })).json(), {
    works: 2,
    queue: { pending: 2, failed: 0 },
    done: { dense: 0 },
  })
  await app.services.embeddingWorker.drain()
  t.match((await app.inject({ url: '/v1/admin/embedding-status', headers: asAdmin })).json(), {
    model: { available: true, dimensions: 384 },
    queue: { pending: 0 },
    done: { dense: 2, lexical: 2 },
    throughput: { densePerMinute: 2 },
  })
})
