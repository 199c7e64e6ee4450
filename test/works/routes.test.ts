import { sql } from 'drizzle-orm'
import t, { type Test } from 'tap'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { signUp } from '../helpers/identity.js'

const work = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: `Work ${id}`,
  publication_year: 2020,
  abstract: 'A plain abstract.',
  primary_location: { source: { display_name: 'Venue' } },
  authorships: [
    {
      author: { id: 'https://openalex.org/A1', display_name: 'Ann Lee' },
      institutions: [{ id: 'I1', display_name: 'Uni', country_code: 'de' }],
    },
  ],
  topics: [{ id: 'T1', display_name: 'Topic', score: 0.5 }],
  ...extra,
})

t.test('POST /v1/works stores a batch and GET returns the work', async (t) => {
  const app = await build(t)
  const admin = await signUp(app, 'admin')
  const res = await app.inject({
    method: 'POST',
    headers: admin.headers,
    url: '/v1/works',
    payload: { works: [work('W1'), work('W2')] },
  })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { inserted: 2, updated: 0, unchanged: 0, rejected: 0, rejections: [] })
  const got = (await app.inject({ url: '/v1/works/1' })).json()
  t.match(got, {
    id: 1,
    externalId: 'W1',
    title: 'Work W1',
    abstract: 'A plain abstract.',
    venue: 'Venue',
    year: 2020,
    authors: [{ name: 'Ann Lee', position: 0 }],
    topics: [{ name: 'Topic', score: 0.5 }],
  })
  const again = await app.inject({
    method: 'POST',
    headers: admin.headers,
    url: '/v1/works',
    payload: { works: [work('W1')] },
  })
  t.match(again.json(), { inserted: 0, updated: 0, unchanged: 1 })
})

/** Pushes `works` as an admin, expects the batch refused, and returns the reasons given. */
async function refusedBatch(t: Test, works: object[]) {
  const database = await freshDatabase()
  const app = await build(t, { database })
  const admin = await signUp(app, 'admin')
  const res = await app.inject({
    method: 'POST',
    headers: admin.headers,
    url: '/v1/works',
    payload: { works },
  })
  t.equal(res.statusCode, 400)
  const [row] = await database.rows<{ n: number }>(sql`select count(*)::int as n from works`)
  t.equal(row?.n, 0, 'nothing was stored')
  return res.json().error.details as { at: number; reason: string }[]
}

t.test('a batch with one invalid work is rejected whole and changes nothing', async (t) => {
  const details = await refusedBatch(t, [work('W1'), { id: 'W2' }, work('W3', { publication_year: 'x' })])
  t.same(
    details.map((d) => d.at),
    [1, 2],
  )
})

t.test('one work id twice in a batch is rejected, naming both items', async (t) => {
  const details = await refusedBatch(t, [work('W1'), work('W2'), work('W1', { title: 'Another title' })])
  t.same(details, [{ at: 2, reason: 'the same work id as item 0' }])
})

t.test('malformed requests get 4xx JSON', async (t) => {
  const app = await build(t)
  const admin = await signUp(app, 'admin')
  const cases = [
    { payload: '{bad json', headers: { 'content-type': 'application/json' }, status: 400 },
    { payload: { works: [] }, status: 400 },
    { payload: { works: 'nope' }, status: 400 },
    { payload: {}, status: 400 },
    { payload: { works: Array.from({ length: 1001 }, (_, i) => work(`W${i}`)) }, status: 400 },
    { payload: '<works/>', headers: { 'content-type': 'application/xml' }, status: 415 },
  ]
  for (const { payload, headers, status } of cases) {
    const res = await app.inject({
      method: 'POST',
      // The admin's token stays: the role is checked before the body is read.
      headers: { ...admin.headers, ...headers },
      url: '/v1/works',
      payload,
    })
    t.equal(res.statusCode, status, JSON.stringify(payload).slice(0, 40))
    t.type(res.json().error.message, 'string')
  }
})
