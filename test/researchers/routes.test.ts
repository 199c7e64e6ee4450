import { fileURLToPath } from 'node:url'
import t from 'tap'
import { importFile } from '../../src/ingest/file-import.js'
import { build } from '../helpers/build.js'

const fixture = fileURLToPath(new URL('../fixtures/works-with-errors.jsonl', import.meta.url))

t.test('researcher read API', async (t) => {
  const app = await build(t)
  await importFile(app.services.ingest, fixture)
  const search = await app.inject({ url: '/v1/researchers?q=ann' })
  const annId: number = search.json().items[0].id

  t.test('profile carries counts and an allow-listed shape', async (t) => {
    const res = await app.inject({ url: `/v1/researchers/${annId}` })
    t.equal(res.statusCode, 200)
    const body = res.json()
    t.same(Object.keys(body).sort(), [
      'claimed',
      'counts',
      'emphasisedTopics',
      'externalId',
      'id',
      'institution',
      'name',
      'openToCollaborate',
      'orcid',
      'sameOrcid',
      'suspended',
      'topTopics',
      'trust',
      'viewer',
    ])
    t.equal(body.claimed, false)
    t.equal(body.suspended, false)
    t.same(body.viewer, null)
    t.same(body.trust, { score: 19, label: 'Unverified', verificationLevel: 'L1' }, 'L1 (15) + 4 works')
    t.equal(body.externalId, 'A1')
    t.equal(body.openToCollaborate, false)
    t.same(body.topTopics[0], { id: 1, name: 'Topic 1', works: 3 })
  })

  t.test('works are paginated newest first', async (t) => {
    const first = (await app.inject({ url: `/v1/researchers/${annId}/works?limit=2` })).json()
    t.same(
      first.items.map((w: { year: number }) => w.year),
      [2023, 2022],
    )
    t.same(first.page, { limit: 2, offset: 0, total: 4 })
    const second = (await app.inject({ url: `/v1/researchers/${annId}/works?limit=2&offset=2` })).json()
    t.same(
      second.items.map((w: { year: number }) => w.year),
      [2021, 2015],
    )
  })

  t.test('name search finds substrings and pages', async (t) => {
    const res = (await app.inject({ url: '/v1/researchers?q=STONE' })).json()
    t.equal(res.items.length, 1)
    t.equal(res.items[0].name, 'Bob Stone')
    t.equal(res.items[0].institutionName, 'University 10')
    const none = (await app.inject({ url: '/v1/researchers?q=zz%25' })).json()
    t.same(none, { items: [], page: { limit: 20, offset: 0, total: 0 } }, 'a % is matched literally')
  })

  t.test('unknown ids are 404, bad ids and params 400, all JSON', async (t) => {
    for (const [url, status] of [
      ['/v1/researchers/999999', 404],
      ['/v1/researchers/999999/works', 404],
      ['/v1/works/999999', 404],
      ['/v1/researchers/abc', 400],
      ['/v1/researchers/0', 400],
      ['/v1/researchers/1.5', 400],
      ['/v1/researchers/99999999999', 400],
      [`/v1/researchers/${annId}/works?limit=1000`, 400],
      [`/v1/researchers/${annId}/works?offset=-1`, 400],
      ['/v1/researchers', 400],
      ['/v1/researchers?q=a', 400],
      ['/v1/nothing-here', 404],
    ] as const) {
      const res = await app.inject({ url })
      t.equal(res.statusCode, status, url)
      t.match(res.headers['content-type'], /application\/json/, url)
      t.type(res.json().error.code, 'string', url)
    }
  })
})
