import { and, eq, inArray, sql } from 'drizzle-orm'
import { authorships } from '../../db/schema/catalog.js'
import { suggestionCache } from '../../db/schema/matching.js'
import type { Database } from '../infra/db/database.js'
import { idList } from './sql.js'

export interface CachedSuggestions<T> {
  payload: T
  computedAt: Date
  stale: boolean
}

export class SuggestionCacheRepository {
  constructor(private readonly database: Database) {}

  async get<T>(researcherId: number, paramsHash: string): Promise<CachedSuggestions<T> | null> {
    const [row] = await this.database.db
      .select()
      .from(suggestionCache)
      .where(and(eq(suggestionCache.researcherId, researcherId), eq(suggestionCache.paramsHash, paramsHash)))
    if (!row) return null
    return { payload: row.payload as T, computedAt: row.computedAt, stale: row.staleAt !== null }
  }

  async put(researcherId: number, paramsHash: string, payload: unknown, computedAt: Date) {
    await this.database.db
      .insert(suggestionCache)
      .values({ researcherId, paramsHash, payload, computedAt, staleAt: null })
      .onConflictDoUpdate({
        target: [suggestionCache.researcherId, suggestionCache.paramsHash],
        set: { payload: sql`excluded.payload`, computedAt: sql`excluded.computed_at`, staleAt: null },
      })
  }

  /**
   * Drops the researcher's stored rankings beyond the `keepOthers` most recently computed, apart
   * from the `pinned` keys (computed times can tie: the one just stored is pinned by its caller).
   * Every set of weights a claimant tries is a ranking of its own, and each is a few hundred
   * candidates with their evidence: unbounded, a loop over weights would fill the table.
   */
  async evict(researcherId: number, pinned: readonly string[], keepOthers: number) {
    await this.database.db.execute(sql`
      delete from ${suggestionCache} c
       where c.researcher_id = ${researcherId} and c.params_hash in (
         select params_hash from ${suggestionCache}
          where researcher_id = ${researcherId}
            and params_hash not in (${sql.join(
              pinned.map((key) => sql`${key}`),
              sql`, `,
            )})
          order by computed_at desc, params_hash
         offset ${keepOthers})`)
  }

  /** Marks the lists of these researchers and of their co-authors stale: both depend on the 2-hop graph. */
  async markStale(researcherIds: readonly number[]) {
    for (let i = 0; i < researcherIds.length; i += 5_000) {
      const chunk = researcherIds.slice(i, i + 5_000)
      await this.database.db.execute(sql`
        update ${suggestionCache} set stale_at = now()
         where stale_at is null and (researcher_id in (${idList(chunk)}) or researcher_id in (
           select b.researcher_id from ${authorships} a join ${authorships} b on b.work_id = a.work_id
            where a.researcher_id in (${idList(chunk)})))`)
    }
  }

  /** Of these researchers, those whose list for `paramsHash` is stale. */
  async staleAmong(researcherIds: readonly number[], paramsHash: string): Promise<number[]> {
    const out: number[] = []
    for (let i = 0; i < researcherIds.length; i += 5_000) {
      const rows = await this.database.rows<{ id: number }>(sql`
        select researcher_id as id from ${suggestionCache}
         where params_hash = ${paramsHash} and stale_at is not null
           and researcher_id in (${idList(researcherIds.slice(i, i + 5_000))})`)
      out.push(...rows.map((r) => r.id))
    }
    return out
  }

  async countFresh(researcherIds: readonly number[]): Promise<number> {
    if (researcherIds.length === 0) return 0
    const rows = await this.database.db
      .select({ id: suggestionCache.researcherId })
      .from(suggestionCache)
      .where(and(inArray(suggestionCache.researcherId, [...researcherIds]), sql`stale_at is null`))
    return rows.length
  }
}
