import { sql } from 'drizzle-orm'
import t from 'tap'
import type { Database } from '../../src/infra/db/database.js'
import {
  PROFILE_INDEXES,
  restoreDeferredIndexes,
  withoutIndexes,
} from '../../src/infra/db/deferred-indexes.js'
import { freshDatabase } from '../helpers/database.js'

const definitions = async (database: Database) =>
  new Map(
    (
      await database.rows<{ name: string; def: string }>(sql`
        select indexname as name, indexdef as def from pg_indexes
         where indexname in (${sql.join(
           PROFILE_INDEXES.map((n) => sql`${n}`),
           sql`, `,
         )})`)
    ).map((r) => [r.name, r.def]),
  )

t.test('a bulk load runs without the profile indexes and gets them back as they were', async (t) => {
  const database = await freshDatabase()
  const before = await definitions(database)
  t.equal(before.size, PROFILE_INDEXES.length, 'the migrations create both indexes')
  const during = await withoutIndexes(database, PROFILE_INDEXES, () => definitions(database))
  t.equal(during.size, 0, 'dropped while loading')
  t.same(await definitions(database), before, 'rebuilt with the same definitions')
})

t.test('a failed load still gets its indexes back', async (t) => {
  const database = await freshDatabase()
  const before = await definitions(database)
  await t.rejects(
    withoutIndexes(database, PROFILE_INDEXES, async () => {
      throw new Error('import failed')
    }),
    /import failed/,
  )
  t.same(await definitions(database), before)
})

t.test('indexes left dropped by an interrupted load are restored on request', async (t) => {
  const database = await freshDatabase()
  const before = await definitions(database)
  // What a killed process leaves behind: the definitions saved, the indexes gone.
  await database.rows(
    sql`create table if not exists deferred_indexes (name text primary key, def text not null)`,
  )
  for (const [name, def] of before) {
    await database.rows(sql`insert into deferred_indexes values (${name}, ${def})`)
    await database.rows(sql.raw(`drop index ${name}`))
  }
  t.equal((await definitions(database)).size, 0)
  await restoreDeferredIndexes(database)
  t.same(await definitions(database), before)
  t.same(await database.rows(sql`select * from deferred_indexes`), [], 'nothing left to restore')
})
