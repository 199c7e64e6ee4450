import { sql } from 'drizzle-orm'
import { authorships, works } from '../../db/schema/catalog.js'
import { coauthorEdges } from '../../db/schema/matching.js'
import type { Database } from '../infra/db/database.js'
import { EDGE_DECAY_PER_YEAR, type Edge } from './scoring.js'
import { idList } from './sql.js'

/** researcher, co-author (null: no edges), joint works, last year */
type EdgeRow = [number, number | null, number | null, number | null]

/** The co-author graph, read from coauthor_edges: triggers keep it in step with authorships. */
export class GraphRepository {
  constructor(private readonly database: Database) {}

  /** Every co-author edge of each given researcher: z → (c → edge); researchers without edges are absent. */
  async edgesOf(ids: readonly number[]): Promise<Map<number, Map<number, Edge>>> {
    if (ids.length === 0) return new Map()
    // One JSON value instead of a row per edge: the walk reads ten thousand edges and more, and
    // decoding them row by row cost several times the statement itself.
    const [row] = await this.database.rows<{ edges: EdgeRow[] | null }>(sql`
      select json_agg(json_build_array(researcher_id, coauthor_id, joint_works, last_year)) as edges
        from ${coauthorEdges} where researcher_id in (${idList(ids)})`)
    return edgeMap(row?.edges ?? [])
  }

  /**
   * The edges of a researcher and of their `frontier` strongest co-authors (edgeStrength, ties by
   * id), in one statement: the first two steps of the walk, which took a round trip each. Every
   * returned researcher has an entry, empty if it has no edges.
   */
  async edgesAround(
    researcherId: number,
    frontier: number,
    referenceYear: number,
  ): Promise<Map<number, Map<number, Edge>>> {
    const age = sql`${referenceYear}::int - coalesce(last_year, 0)`
    // power() raises an underflow error where JS rounds to 0; a millennium-old edge is 0 in both.
    const strength = sql`case when ${age} > 1000 then 0::float8
      else joint_works * power(${EDGE_DECAY_PER_YEAR}::float8, greatest(0, ${age})) end`
    const [row] = await this.database.rows<{ edges: EdgeRow[] }>(sql`
      with strongest as (
        select coauthor_id as id from ${coauthorEdges} where researcher_id = ${researcherId}
         order by ${strength} desc, coauthor_id limit ${frontier}
      ), around as (
        select ${researcherId}::int as id union all select id from strongest
      )
      select json_agg(json_build_array(o.id, e.coauthor_id, e.joint_works, e.last_year)) as edges
        from around o left join ${coauthorEdges} e on e.researcher_id = o.id`)
    return edgeMap(row!.edges)
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
}

/** z → (c → edge) from edge rows; a row without a co-author gives z an empty entry. */
function edgeMap(rows: readonly EdgeRow[]): Map<number, Map<number, Edge>> {
  const out = new Map<number, Map<number, Edge>>()
  for (const [z, c, jointWorks, lastYear] of rows) {
    const edges = out.get(z) ?? new Map<number, Edge>()
    out.set(z, edges)
    if (c !== null) edges.set(c, { jointWorks: jointWorks!, lastYear: lastYear ?? 0 })
  }
  return out
}
