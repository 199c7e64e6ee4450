import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import t from 'tap'
import type { Database } from '../../src/infra/db/database.js'
import { importFile } from '../../src/ingest/file-import.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { signUp } from '../helpers/identity.js'

const fixture = fileURLToPath(new URL('../fixtures/works-with-errors.jsonl', import.meta.url))

t.test('imports a file, reporting malformed lines by number and importing the rest', async (t) => {
  const app = await build(t)
  const summary = await importFile(app.services.ingest, fixture, { batchSize: 2 })
  t.equal(summary.inserted, 5)
  t.equal(summary.updated, 0)
  t.equal(summary.rejected, 3)
  t.same(
    summary.rejections.map((r) => r.at),
    [3, 5, 8],
  )
  t.match(summary.rejections[0]?.reason, /invalid JSON/)
  t.match(summary.rejections[1]?.reason, /title/)
  t.match(summary.rejections[2]?.reason, /not a JSON object/)

  const ann = await app.inject({ url: '/v1/researchers?q=ann' })
  t.equal(ann.statusCode, 200)
  const annId = ann.json().items[0].id
  const profile = (await app.inject({ url: `/v1/researchers/${annId}` })).json()
  t.equal(profile.name, 'Ann Lee', 'the newest work names the author')
  t.equal(profile.orcid, '0000-0002-1825-0097')
  t.equal(profile.institution.name, 'University 10', 'the 2015 work does not move the affiliation back')
  t.same(profile.counts, { works: 4, topics: 2, closeCollaborators: 1, followers: 0 })
})

t.test('a byte-order mark at the start of the file is not part of the first work', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'collabmatch-bom-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'bom.jsonl')
  const work = (id: string) => JSON.stringify({ id, title: `Work ${id}`, authorships: [] })
  writeFileSync(file, `\uFEFF${work('W1')}\r\n${work('W2')}\r\n`)
  const app = await build(t)
  const summary = await importFile(app.services.ingest, file)
  t.same([summary.inserted, summary.rejected], [2, 0])
})

t.test('importing the same file twice changes nothing', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { database })
  await importFile(app.services.ingest, fixture)
  const before = await snapshot(database)
  const again = await importFile(app.services.ingest, fixture)
  t.equal(again.inserted, 0)
  t.equal(again.updated, 0)
  t.equal(again.unchanged, 5)
  t.same(await snapshot(database), before, 'rows and their updated_at stay as they were')
})

t.test('an edited work is updated, with its authorships replaced', async (t) => {
  const app = await build(t)
  const admin = await signUp(app, 'admin')
  await importFile(app.services.ingest, fixture)
  const pushed = await app.inject({
    method: 'POST',
    headers: admin.headers,
    url: '/v1/works',
    payload: {
      works: [
        {
          id: 'https://openalex.org/W2',
          title: 'Message passing on molecular graphs (revised)',
          publication_year: 2022,
          authorships: [{ author: { id: 'https://openalex.org/A3', display_name: 'Cai Wen' } }],
        },
      ],
    },
  })
  t.equal(pushed.statusCode, 200)
  t.match(pushed.json(), { inserted: 0, updated: 1, unchanged: 0 })
  const work = (await app.inject({ url: '/v1/works/2' })).json()
  t.equal(work.title, 'Message passing on molecular graphs (revised)')
  t.same(
    work.authors.map((a: { name: string }) => a.name),
    ['Cai Wen'],
  )
})

async function snapshot(database: Database) {
  return Promise.all(
    ['works', 'researchers', 'institutions', 'topics', 'authorships', 'work_topics'].map((table) =>
      database.rows(sql.raw(`select * from ${table} order by 1, 2`)),
    ),
  )
}
