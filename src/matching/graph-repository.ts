import { sql } from 'drizzle-orm'
import { authorships, researchers, works } from '../../db/schema/catalog.js'
import type { Database } from '../infra/db/database.js'
import type { Edge } from './scoring.js'
import { idList } from './sql.js'

/** The co-author graph, read straight from authorships: always current, nothing to rebuild. */
export class GraphRepository {
  constructor(private readonly database: Database) {}

  async neighbours(researcherId: number): Promise<Map<number, Edge>> {
    const rows = await this.database.rows<{ id: number; jointWorks: number; lastYear: number | null }>(sql`
      select b.researcher_id as id, count(*)::int as "jointWorks", max(w.year)::int as "lastYear"
        from ${authorships} a
        join ${authorships} b on b.work_id = a.work_id and b.researcher_id <> a.researcher_id
        join ${works} w on w.id = a.work_id
       where a.researcher_id = ${researcherId}
       group by b.researcher_id`)
    return new Map(rows.map((r) => [r.id, { jointWorks: r.jointWorks, lastYear: r.lastYear ?? 0 }]))
  }

  /** Every co-author edge of each given researcher: z → (c → edge). */
  async secondHop(ids: readonly number[]): Promise<Map<number, Map<number, Edge>>> {
    const out = new Map<number, Map<number, Edge>>()
    if (ids.length === 0) return out
    const rows = await this.database.rows<{
      z: number
      c: number
      jointWorks: number
      lastYear: number | null
    }>(sql`
      select a.researcher_id as z, b.researcher_id as c, count(*)::int as "jointWorks", max(w.year)::int as "lastYear"
        from ${authorships} a
        join ${authorships} b on b.work_id = a.work_id and b.researcher_id <> a.researcher_id
        join ${works} w on w.id = a.work_id
       where a.researcher_id in (${idList(ids)})
       group by a.researcher_id, b.researcher_id`)
    for (const r of rows) {
      const edges = out.get(r.z) ?? new Map<number, Edge>()
      out.set(r.z, edges)
      edges.set(r.c, { jointWorks: r.jointWorks, lastYear: r.lastYear ?? 0 })
    }
    return out
  }

  /** Pairs (candidate, bridge) where the candidate co-authored with one of the bridges. */
  async linksBetween(candidateIds: readonly number[], bridgeIds: readonly number[]) {
    if (candidateIds.length === 0 || bridgeIds.length === 0) return []
    return this.database.rows<{ candidate: number; bridge: number }>(sql`
      select distinct a.researcher_id as candidate, b.researcher_id as bridge
        from ${authorships} a join ${authorships} b on b.work_id = a.work_id
       where a.researcher_id in (${idList(candidateIds)}) and b.researcher_id in (${idList(bridgeIds)})
         and b.researcher_id <> a.researcher_id`)
  }

  /** Co-authors of the given researchers on works from `sinceYear` on (undated works count). */
  async coauthorsSince(researcherIds: readonly number[], sinceYear: number): Promise<number[]> {
    if (researcherIds.length === 0) return []
    const rows = await this.database.rows<{ id: number }>(sql`
      select distinct b.researcher_id as id
        from ${authorships} a
        join ${authorships} b on b.work_id = a.work_id
        join ${works} w on w.id = a.work_id
       where a.researcher_id in (${idList(researcherIds)}) and (w.year is null or w.year >= ${sinceYear})`)
    return rows.map((r) => r.id)
  }

  async names(ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map()
    const rows = await this.database.rows<{ id: number; name: string }>(sql`
      select id, name from ${researchers} where id in (${idList(ids)})`)
    return new Map(rows.map((r) => [r.id, r.name]))
  }
}
