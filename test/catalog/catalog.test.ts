import t, { type Test } from 'tap'
import { build } from '../helpers/build.js'

const institution = (id: string, name: string, country: string) => ({
  id,
  display_name: name,
  country_code: country,
})
const OXFORD = institution('I1', 'University of Oxford', 'GB')
const OSAKA = institution('I2', 'Osaka University', 'JP')
const LAB = institution('I3', '100% Open_Lab', 'DE')

const work = (id: string, authors: [string, string, ReturnType<typeof institution>][], topics: string[]) => ({
  id,
  title: `Work ${id}`,
  abstract: 'Glacier mass balance observed by satellite altimetry',
  publication_year: 2023,
  authorships: authors.map(([aid, name, inst]) => ({
    author: { id: aid, display_name: name },
    institutions: [inst],
  })),
  topics: topics.map((name) => ({ id: `T-${name}`, display_name: name, score: 0.9 })),
})

const WORKS = [
  work(
    'W1',
    [
      ['A1', 'Ann Ice', OXFORD],
      ['A2', 'Bo Sea', OXFORD],
    ],
    ['Glaciology', 'Sea level'],
  ),
  work('W2', [['A3', 'Cy Melt', OSAKA]], ['Glaciology']),
  work('W3', [['A4', 'Di Open', LAB]], ['Sea ice']),
]

async function seeded(t: Test) {
  const app = await build(t)
  await app.services.ingest.importBatch(WORKS)
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url })
    return { status: res.statusCode, body: res.json() }
  }
  return { app, get }
}

t.test('institutions: found by any part of the name, any case, with their researchers', async (t) => {
  const { get } = await seeded(t)
  const found = await get('/v1/institutions?q=UNIVERSITY')
  t.equal(found.status, 200)
  t.same(found.body.items.map((i: { name: string; researchers: number }) => [i.name, i.researchers]).sort(), [
    ['Osaka University', 1],
    ['University of Oxford', 2],
  ])
  t.same(found.body.page, { limit: 20, offset: 0, total: 2 })
  const oxford = found.body.items.find((i: { name: string }) => i.name === 'University of Oxford')
  t.same(Object.keys(oxford).sort(), ['countryCode', 'id', 'name', 'researchers', 'ror'], 'an allow-list')
  t.equal(oxford.countryCode, 'GB')

  const one = await get(`/v1/institutions/${oxford.id}`)
  t.equal(one.status, 200)
  t.same(one.body, oxford, 'the record is the same as in the list')

  const paged = await get('/v1/institutions?q=univ&limit=1&offset=1')
  t.equal(paged.body.items.length, 1)
  t.equal(paged.body.page.total, 2)
  t.not(paged.body.items[0].id, (await get('/v1/institutions?q=univ&limit=1')).body.items[0].id)
})

t.test('search text is literal: % and _ match only themselves', async (t) => {
  const { get } = await seeded(t)
  const percent = await get(`/v1/institutions?q=${encodeURIComponent('0%')}`)
  t.same(
    percent.body.items.map((i: { name: string }) => i.name),
    ['100% Open_Lab'],
  )
  t.equal((await get(`/v1/institutions?q=${encodeURIComponent('%%')}`)).body.page.total, 0)
  t.same(
    (await get(`/v1/institutions?q=${encodeURIComponent('n_l')}`)).body.items.map(
      (i: { name: string }) => i.name,
    ),
    ['100% Open_Lab'],
  )
  t.equal(
    (await get(`/v1/institutions?q=${encodeURIComponent('i_y')}`)).body.page.total,
    0,
    '_ is no wildcard',
  )
})

t.test('topics: found by name, with the number of works, the closest name first', async (t) => {
  const { get } = await seeded(t)
  const found = await get('/v1/topics?q=sea')
  t.equal(found.status, 200)
  t.same(found.body.items.map((i: { name: string; works: number }) => [i.name, i.works]).sort(), [
    ['Sea ice', 1],
    ['Sea level', 1],
  ])
  const glaciology = (await get('/v1/topics?q=glacio')).body.items
  t.same(
    glaciology.map((i: { name: string; works: number }) => [i.name, i.works]),
    [['Glaciology', 2]],
  )
  t.same((await get(`/v1/topics/${glaciology[0].id}`)).body, glaciology[0])
  t.same((await get('/v1/topics?q=volcano')).body, { items: [], page: { limit: 20, offset: 0, total: 0 } })
})

t.test('bad lookups are 400, unknown ids 404, as JSON', async (t) => {
  const { get } = await seeded(t)
  for (const url of [
    '/v1/institutions',
    '/v1/institutions?q=a',
    `/v1/topics?q=${'x'.repeat(201)}`,
    '/v1/topics?q=sea&limit=0',
    '/v1/institutions/abc',
    '/v1/topics/0',
  ]) {
    const res = await get(url)
    t.equal(res.status, 400, url)
    t.equal(res.body.error.code, 'VALIDATION_FAILED', url)
  }
  for (const url of ['/v1/institutions/999999', '/v1/topics/999999']) {
    const res = await get(url)
    t.equal(res.status, 404, url)
    t.equal(res.body.error.code, 'NOT_FOUND', url)
  }
})
