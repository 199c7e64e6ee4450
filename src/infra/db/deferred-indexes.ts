import { sql } from 'drizzle-orm'
import type { Database } from './database.js'

/** The sparse HNSW indexes on researcher profiles: what a bulk load pays most for, row by row. */
export const PROFILE_INDEXES = ['researcher_lexical_centroid_hnsw', 'researcher_lexical_group_centroid_hnsw']

const ensureTable = (database: Database) =>
  database.rows(sql`create table if not exists deferred_indexes (name text primary key, def text not null)`)

/**
 * Drops HNSW indexes for a bulk load that spans many transactions and builds them again after it,
 * as pg_restore does. The definitions wait in a table, so a run interrupted in between restores
 * them the next time (`restoreDeferredIndexes`); a load that throws gets them back at once. Each researcher profile write re-inserts into both
 * sparse HNSW indexes at about 40 ms a row on two busy cores: hours for 100k researchers written
 * twice, against minutes for one build. For tools (evaluation, benchmarks, first imports), never
 * for a serving database: kNN queries fall back to exact scans meanwhile.
 */
export async function withoutIndexes<T>(
  database: Database,
  indexes: readonly string[],
  load: () => Promise<T>,
  log: (message: string) => void = () => {},
): Promise<T> {
  await ensureTable(database)
  await database.db.transaction(async (tx) => {
    for (const index of indexes) {
      await tx.execute(sql`insert into deferred_indexes
        select ${index}, pg_get_indexdef(${index}::regclass) where to_regclass(${index}) is not null
        on conflict (name) do nothing`)
      await tx.execute(sql.raw(`drop index if exists ${index}`))
    }
  })
  try {
    return await load()
  } finally {
    await restoreDeferredIndexes(database, log)
  }
}

/** Builds every index a bulk load dropped and did not restore. */
export async function restoreDeferredIndexes(database: Database, log: (message: string) => void = () => {}) {
  await ensureTable(database)
  for (const { name, def } of await database.rows<{ name: string; def: string }>(
    sql`select name, def from deferred_indexes order by name`,
  )) {
    log(`building ${name}`)
    await database.db.transaction(async (tx) => {
      // PGlite's WebAssembly heap cannot map a segment that large ("Out of memory" on the
      // second index of the collab-linkpred load); its default builds there in seconds.
      if (database.kind === 'postgres') await tx.execute(sql.raw(`set local maintenance_work_mem = '1GB'`))
      await tx.execute(sql.raw(def))
      await tx.execute(sql`delete from deferred_indexes where name = ${name}`)
    })
  }
}
