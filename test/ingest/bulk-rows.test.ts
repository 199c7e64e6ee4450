import { sql } from 'drizzle-orm'
import t from 'tap'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'

// Import batches travel as one JSON parameter and keys as one array literal: text that needs
// quoting in either must come back exactly, and keys must still find their rows.
const awkward = ['W"quoted"', 'W\\back\\slash', 'W{brace},comma', 'W with space', 'W-ünïcödé-😀', 'WNULL']

const work = (id: string, i: number) => ({
  id,
  title: `Title ${i}: "quotes", \\backslashes\\, {braces}, 😀 and a lone \ud800 surrogate`,
  publication_year: 2000 + i,
  authorships: [
    { author: { id: `A"${i}\\`, display_name: `O'Brien "Ann" \\${i}` } },
    { author: { id: 'A,shared{}', display_name: 'Shared Author' } },
  ],
})

t.test('awkward text and keys survive a bulk batch and are found again', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { database })
  const first = await app.services.ingest.importBatch(awkward.map(work))
  t.match(first, { inserted: awkward.length, updated: 0, unchanged: 0 })

  const works = await database.rows<{ externalId: string; title: string; year: number }>(sql`
    select external_id as "externalId", title, year from works order by id`)
  t.same(
    works.map((w) => w.externalId),
    [...awkward].sort(),
    'ids assigned in key order, as before',
  )
  t.equal(
    works.find((w) => w.externalId === awkward[0])?.title,
    'Title 0: "quotes", \\backslashes\\, {braces}, 😀 and a lone \ufffd surrogate',
  )
  const researchers = await database.rows<{ externalId: string; name: string }>(sql`
    select external_id as "externalId", name from researchers order by external_id`)
  t.ok(researchers.some((r) => r.externalId === 'A"2\\' && r.name === `O'Brien "Ann" \\2`))
  const [counts] = await database.rows<{ authorships: number; queued: number; edges: number }>(sql`
    select (select count(*)::int from authorships) as authorships,
           (select count(*)::int from embedding_queue) as queued,
           (select count(*)::int from coauthor_edges) as edges`)
  t.same(counts, { authorships: 12, queued: 6, edges: 12 }, 'every work queued once, every pair both ways')

  const again = await app.services.ingest.importBatch(awkward.map(work))
  t.match(again, { inserted: 0, updated: 0, unchanged: awkward.length }, 'every key found by the lookup')

  const edited = await app.services.ingest.importBatch([{ ...work(awkward[1]!, 1), title: 'Edited' }])
  t.match(edited, { inserted: 0, updated: 1 })
  const [row] = await database.rows<{ title: string }>(
    sql`select title from works where external_id = ${awkward[1]!}`,
  )
  t.equal(row?.title, 'Edited')
})
