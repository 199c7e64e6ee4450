import { sql } from 'drizzle-orm'
import t from 'tap'
import type { Database } from '../../src/infra/db/database.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'

type Row = { r: number; c: number; n: number; y: number | null }

const stored = (database: Database) =>
  database.rows<Row>(sql`
    select researcher_id as r, coauthor_id as c, joint_works as n, last_year as y
      from coauthor_edges order by 1, 2`)

/** The same graph recomputed from authorships: what the triggers must always agree with. */
const recomputed = (database: Database) =>
  database.rows<Row>(sql`
    select a.researcher_id as r, b.researcher_id as c, count(*)::int as n, max(w.year)::int as y
      from authorships a join authorships b on b.work_id = a.work_id and b.researcher_id <> a.researcher_id
      join works w on w.id = a.work_id
     group by 1, 2 order by 1, 2`)

const work = (id: string, year: number, authors: string[], title = `Work ${id}`) => ({
  id,
  title,
  publication_year: year,
  authorships: authors.map((a) => ({ author: { id: a, display_name: `Author ${a}` } })),
})

t.test('coauthor_edges follows authorships through imports, re-imports, changes and deletions', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { database })
  const ingest = app.services.ingest
  const check = async (what: string) => {
    const expected = await recomputed(database)
    t.same(await stored(database), expected, what)
    return expected
  }

  await ingest.importBatch([work('W1', 2019, ['A1', 'A2', 'A3']), work('W2', 2021, ['A1', 'A2'])])
  const first = await check('after the first import')
  t.equal(first.length, 6, 'three authors, every pair both ways')
  const ab = first.find((e) => e.n === 2)
  t.ok(ab && ab.y === 2021, 'A and B share two works, the latest from 2021')

  await ingest.importBatch([work('W3', 2022, ['A3', 'A4']), work('W4', 2020, ['A4', 'A5', 'A1'])])
  await check('after a second batch that links to existing researchers')

  await ingest.importBatch([work('W1', 2019, ['A1', 'A2', 'A3']), work('W2', 2021, ['A1', 'A2'])])
  await check('after re-importing unchanged works')

  // A changed author list and a changed year: pairs are dropped and last years move back.
  await ingest.importBatch([work('W2', 2018, ['A1', 'A4'], 'Work W2, revised')])
  const changed = await check('after a work changes its authors and year')
  t.notOk(
    changed.some((e) => e.n === 2 && e.y === 2021),
    'the A–B pair lost its 2021 work',
  )

  await ingest.importBatch([work('W4', 2023, ['A4', 'A5', 'A1'], 'Work W4, revised')])
  await check('after only the year of a work changes')

  await database.rows(sql`delete from works where external_id = 'W3'`)
  await check('after a work is deleted')

  await database.rows(sql`delete from researchers where external_id = 'A5'`)
  await check('after a researcher is deleted')

  await database.rows(sql`
    update authorships set researcher_id = (select id from researchers where external_id = 'A3')
     where researcher_id = (select id from researchers where external_id = 'A4')
       and work_id = (select id from works where external_id = 'W4')`)
  await check('after an authorship moves to another researcher')

  await database.rows(sql`update authorships set position = position + 10`)
  await check('after an update that keeps every pair')
})
