import type { SQL } from 'drizzle-orm'
import { sql } from 'drizzle-orm'
import type { Database } from '../infra/db/database.js'
import { txRows } from '../infra/db/sql-rows.js'

export const idList = (ids: readonly number[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )

/**
 * Runs a kNN query with HNSW settings local to one transaction. pgvector's HNSW scan returns at
 * most ef_search rows unless iterative scanning is on, so asking for more needs both settings.
 */
export async function knnRows<T>(database: Database, limit: number, query: SQL): Promise<T[]> {
  const efSearch = Math.min(1000, Math.max(40, limit))
  return database.db.transaction(async (tx) => {
    // With a few ten thousand rows the planner prices the HNSW scan above a sequential scan of
    // sparse vectors, which measured 5–8 times slower (870 ms against 110 ms at 20k researchers).
    // One statement sets all three (set_config(…, true) is SET LOCAL): each round trip counts. JIT,
    // which such plans would otherwise trigger, is off for every session (openPostgres).
    await tx.execute(
      sql.raw(`select set_config('hnsw.ef_search', '${efSearch}', true),
        set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('enable_seqscan', 'off', true)`),
    )
    return txRows<T>(tx, query)
  })
}
