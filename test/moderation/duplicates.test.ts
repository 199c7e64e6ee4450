import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { LIKELY_PAIRS_TTL_MS } from '../../src/moderation/merges.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { movableClock, signUp, type TestUser } from '../helpers/identity.js'
import { claimant, clock, seed } from '../matching/fixtures.js'

const U1 = { id: 'https://openalex.org/I901', display_name: 'Lovelace Institute' }
const person = (id: string, name: string, extra: { orcid?: string; at?: typeof U1 } = {}) => ({
  author: { id, display_name: name, ...(extra.orcid ? { orcid: extra.orcid } : {}) },
  institutions: extra.at ? [extra.at] : [],
})
const CARL = person('C1', 'Carl Coauthor')
let n = 0
const work = (...authors: ReturnType<typeof person>[]) => ({
  id: `WD${++n}`,
  title: `Analytical engines ${n}`,
  abstract: 'Programs for the analytical engine and the calculation of Bernoulli numbers',
  publication_year: 2022,
  authorships: authors,
})

/*
 * Ada is split over three records without an ORCID: "Ada Lovelace" and "A. Lovelace" share Carl,
 * "Lovelace, Ada" shares her institution. Alan Lovelace is someone else, yet "A. Lovelace" could be
 * him too. The Nguyens wrote together (two people), the Stones carry different ORCIDs (two people),
 * and the Núñez records differ only in accents.
 */
const WORKS = [
  work(person('L1', 'Ada Lovelace', { at: U1 }), CARL),
  work(person('L2', 'A. Lovelace'), CARL),
  work(person('L3', 'Lovelace, Ada', { at: U1 })),
  work(person('L4', 'Alan Lovelace'), CARL),
  work(person('N1', 'Bo Nguyen'), person('N2', 'B. Nguyen'), CARL),
  work(person('S1', 'Eve Stone', { orcid: '0000-0002-1825-0097' }), CARL),
  work(person('S2', 'Eve Stone', { orcid: '0000-0001-5109-3700' }), CARL),
  work(person('J1', 'José Núñez'), CARL),
  work(person('J2', 'Jose Nunez'), CARL),
]

const likely = async (app: FastifyInstance, admin: TestUser, query = '') => {
  const res = await app.inject({ url: `/v1/admin/duplicates/by-name${query}`, headers: admin.headers })
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json()
}

async function merge(t: Test, app: FastifyInstance, admin: TestUser, survivor: number, duplicateId: number) {
  const res = await app.inject({
    method: 'POST',
    url: `/v1/admin/researchers/${survivor}/merge`,
    headers: admin.headers,
    payload: { duplicateId },
  })
  t.equal(res.statusCode, 200, res.body)
}

t.test('records no ORCID links are paired by name, with a shared co-author or institution', async (t) => {
  const app = await build(t, { clock })
  await seed(app, WORKS)
  const ids = await app.services.experts.researcherIdsByExternalId(['L1', 'L2', 'L3', 'L4', 'J1', 'J2'])
  const externalOf = new Map([...ids].map(([external, id]) => [id, external]))
  const admin = await signUp(app, 'admin')

  const page = await likely(app, admin)
  const pairs = page.items.map((p: { records: { id: number }[] }) =>
    p.records.map((r) => externalOf.get(r.id)).join('+'),
  )
  t.same([...pairs].sort(), ['J1+J2', 'L1+L2', 'L1+L3', 'L2+L4'].sort(), 'exactly the plausible pairs')
  t.equal(page.page.total, 4)
  t.equal(pairs.at(-1), 'L1+L3', 'a shared institution alone ranks after a shared co-author')
  t.ok(page.items.every((p: { topicSimilarity: number }) => p.topicSimilarity <= 1))
  const byPair = new Map<string, { topicSimilarity: number }>(
    pairs.map((p: string, i: number) => [p, page.items[i]]),
  )
  t.match(byPair.get('L1+L3'), {
    records: [
      { name: 'Ada Lovelace', institution: { name: 'Lovelace Institute' }, claimed: false, works: 1 },
      { name: 'Lovelace, Ada', orcid: null },
    ],
    sharedCoauthors: 0,
    sameInstitution: true,
  })
  t.match(byPair.get('J1+J2'), { sharedCoauthors: 1, sameInstitution: false })
  t.ok(byPair.get('J1+J2')!.topicSimilarity > 0.9, 'the same abstract: the same topics')

  const second = await likely(app, admin, '?limit=2&offset=2')
  t.same(
    second.items.map((p: unknown) => JSON.stringify(p)),
    page.items.slice(2).map((p: unknown) => JSON.stringify(p)),
    'pages continue the order',
  )
  t.same((await likely(app, admin, '?offset=10')).page, { limit: 20, offset: 10, total: 4 })

  // A claimed record goes first, as the survivor; once merged, the pair is gone.
  const ada = ids.get('L1')!
  const [l2, l3] = [ids.get('L2')!, ids.get('L3')!]
  await merge(t, app, admin, ada, l3)
  await claimant(app, l2)
  const after = (await likely(app, admin)).items.map((p: { records: { id: number }[] }) =>
    p.records.map((r) => r.id),
  )
  t.notOk(
    after.some((p: number[]) => p.includes(l3)),
    'the merged record is in no pair',
  )
  t.ok(
    after.some((p: number[]) => p[0] === l2 && p[1] === ada),
    'the claimed record comes first in its pair',
  )
})

t.test('only operators see the pairs', async (t) => {
  const app = await build(t, { clock })
  const researcher = await signUp(app, 'researcher')
  t.equal((await app.inject({ url: '/v1/admin/duplicates/by-name' })).statusCode, 401)
  const refused = await app.inject({ url: '/v1/admin/duplicates/by-name', headers: researcher.headers })
  t.equal(refused.statusCode, 403)
  const empty = await likely(app, await signUp(app, 'admin'))
  t.same(empty, { items: [], page: { limit: 20, offset: 0, total: 0 } })
})

t.test('the list is found once a minute and paged from memory; a record gone since is skipped', async (t) => {
  const database = await freshDatabase()
  const time = movableClock(new Date('2024-06-01T00:00:00Z'))
  const app = await build(t, { clock: time, database })
  await seed(app, WORKS.slice(0, 2))
  const admin = await signUp(app, 'admin')
  t.equal((await likely(app, admin)).page.total, 1, 'Ada Lovelace and A. Lovelace')

  await seed(app, WORKS.slice(7))
  t.equal((await likely(app, admin)).page.total, 1, 'the Núñez records wait for the next minute')
  time.advance(LIKELY_PAIRS_TTL_MS + 1)
  t.equal((await likely(app, admin)).page.total, 2)

  // Another instance merged J2 away: its pair is left out of the page, not a 500.
  const [j2] = (await app.services.experts.researcherIdsByExternalId(['J2'])).values()
  await database.rows(sql`delete from researchers where id = ${j2}`)
  const page = await likely(app, admin)
  t.equal(page.items.length, 1)
  t.equal(page.items[0].records[0].name, 'Ada Lovelace')
})

t.test('an operator marks a pair as two people; a merge carries the mark to the survivor', async (t) => {
  const app = await build(t, { clock })
  await seed(app, [...WORKS, work(person('J3', 'J. Nunez'), CARL)])
  const ids = await app.services.experts.researcherIdsByExternalId(['J1', 'J2', 'J3', 'L2', 'L4'])
  const [j1, j2, j3, l2, l4] = ['J1', 'J2', 'J3', 'L2', 'L4'].map((key) => ids.get(key)!) as [
    number,
    number,
    number,
    number,
    number,
  ]
  const admin = await signUp(app, 'admin')
  const pairs = async () =>
    (await likely(app, admin, '?limit=50')).items.map((p: { records: { id: number }[] }) =>
      p.records
        .map((r) => r.id)
        .sort((a, b) => a - b)
        .join('+'),
    )
  const pair = (a: number, b: number) => [a, b].sort((x, y) => x - y).join('+')
  const mark = (method: 'PUT' | 'DELETE', a: number, b: number, user: TestUser | null = admin) =>
    app.inject({ method, url: `/v1/admin/researchers/${a}/distinct/${b}`, headers: user?.headers ?? {} })

  t.ok((await pairs()).includes(pair(l2, l4)), 'A. Lovelace could be Alan')
  t.equal((await mark('PUT', l4, l2)).statusCode, 204)
  t.equal((await mark('PUT', l2, l4)).statusCode, 204, 'again, either way round')
  t.notOk((await pairs()).includes(pair(l2, l4)), 'the operator says they are two people')
  t.ok((await pairs()).includes(pair(j1, j2)), 'other pairs stay')
  t.equal((await mark('DELETE', l2, l4)).statusCode, 204)
  t.ok((await pairs()).includes(pair(l2, l4)), 'taken back')
  t.equal((await mark('DELETE', l2, l4)).statusCode, 204, 'taking back twice is no error')

  t.equal((await mark('PUT', l2, l2)).statusCode, 400)
  t.equal((await mark('PUT', l2, 999_999)).statusCode, 404)
  t.equal((await mark('DELETE', 999_999, l2)).statusCode, 404)
  t.equal((await mark('PUT', l2, l4, null)).statusCode, 401)
  t.equal((await mark('PUT', l2, l4, await signUp(app, 'researcher'))).statusCode, 403)
  t.ok((await pairs()).includes(pair(l2, l4)), 'refusals marked nothing')

  // J. Nunez is someone else than Jose Nunez; Jose Nunez is José Núñez.
  t.equal((await mark('PUT', j2, j3)).statusCode, 204)
  await merge(t, app, admin, j1, j2)
  t.notOk((await pairs()).includes(pair(j1, j3)), 'so J. Nunez is someone else than José Núñez too')
})
