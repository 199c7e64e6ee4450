import { type SQL, sql } from 'drizzle-orm'
import { authorships, institutions, researchers, works } from '../../db/schema/catalog.js'
import { researcherEmbeddings, workEmbeddings, workLexical } from '../../db/schema/embeddings.js'
import { researcherLexical } from '../../db/schema/matching.js'
import type { Database } from '../infra/db/database.js'
import { intArray } from '../infra/db/sql-rows.js'
import { notSuspended } from '../moderation/suspended.js'
import { countsAsExpertise } from '../researchers/settings-repository.js'
import type { ResearcherMeta } from './candidates-repository.js'
import { idList, knnRows } from './sql.js'

/** A query text as stored vectors: the lexical one always when it has terms, the dense one with a model. */
export interface QueryVectors {
  lexical: string | null
  dense: { vector: string; modelId: string } | null
}

export interface WorkScore {
  workId: number
  similarity: number
}

/**
 * A researcher with the query's similarity to each of their newest works: the input of the affinity
 * aggregate. `works` counts all of them.
 */
export interface ScoredResearcher extends ResearcherMeta {
  lexical: WorkScore[]
  /** Null when there is no dense query; works without a vector from the model are left out. */
  dense: WorkScore[] | null
}

/**
 * A candidate with the query's similarity to their centroids (0 where they have none). `works` is
 * null unless asked for: counting them was most of the statement's time.
 */
export interface CentroidCandidate extends Omit<ResearcherMeta, 'lastActiveYear' | 'works'> {
  works: number | null
  lexical: number
  dense: number
}

/** How many nearest neighbours each index contributes to an expert search's candidates. */
export interface CandidateLimits {
  lexicalResearchers: number
  denseWorks: number
  denseResearchers: number
}

interface Row extends ResearcherMeta {
  lexicalWorks: number[] | null
  lexicalSims: number[] | null
  denseWorks: number[] | null
  denseSims: number[] | null
}

/**
 * A query vector as a one-row subquery, which PostgreSQL evaluates once per statement (an
 * InitPlan). Written as a bare `$1::vector`, the generic plan a prepared statement switches to
 * after five runs parses the literal again for every row it meets: ~25 µs for 384 dimensions,
 * 0.5 s over 20k rows against 12 ms, and most of an expert search's time.
 */
const once = (literal: string, type: 'vector' | 'sparsevec') => sql`(select ${literal}::${sql.raw(type)})`

/** Below this many researchers a half is not worth a second connection's round trip. */
const SPLIT_MIN = 8

/** Expert search: candidates from the kNN indexes, then a shortlist's newest works scored against the query. */
export class ExpertsRepository {
  constructor(private readonly database: Database) {}

  /**
   * The researchers whose lexical centroids are nearest the query: the one candidate source that
   * needs no dense vector, so an expert search runs it while the query text is being embedded.
   */
  async lexicalNeighbours(lexical: string, limit: number): Promise<number[]> {
    const rows = await knnRows<{ id: number }>(
      this.database,
      limit,
      sql`select researcher_id as id from ${researcherLexical}
        order by centroid <#> ${lexical}::sparsevec limit ${limit}`,
    )
    return rows.map((r) => r.id)
  }

  /**
   * The candidates of a search, less `excluded`, each with the query's similarity to their lexical
   * and dense centroids (0 where they have none): cheap to get for hundreds of candidates, unlike a
   * similarity to every one of their works. Without a dense query they are `lexicalIds`. With one,
   * the authors of the works nearest it and the researchers whose dense centroids are nearest it
   * join them, each source scoring its own candidates in the statement that finds them: two
   * statements at once on two connections, where kNN, then scores, cost two waits.
   */
  async centroidCandidates(
    query: QueryVectors,
    lexicalIds: readonly number[],
    limits: CandidateLimits,
    excluded: ReadonlySet<number>,
    withWorks: boolean,
  ): Promise<CentroidCandidate[]> {
    const lexicalOnly = lexicalIds.filter((id) => !excluded.has(id))
    const { dense } = query
    const found = dense
      ? (
          await Promise.all([
            knnRows<CentroidCandidate>(
              this.database,
              limits.denseWorks,
              this.centroidScores(
                query,
                sql`select distinct a.researcher_id from (
                    select work_id from ${workEmbeddings} where model_id = ${dense.modelId}
                     order by embedding <=> ${dense.vector}::vector limit ${limits.denseWorks}) nn
                    join ${authorships} a on a.work_id = nn.work_id`,
                withWorks,
              ),
            ),
            knnRows<CentroidCandidate>(
              this.database,
              limits.denseResearchers,
              this.centroidScores(
                query,
                sql`(select researcher_id from ${researcherEmbeddings} where model_id = ${dense.modelId}
                    order by embedding <=> ${dense.vector}::vector limit ${limits.denseResearchers})
                  union select unnest(${intArray(lexicalOnly)})`,
                withWorks,
              ),
            ),
          ])
        ).flat()
      : await this.inHalves(lexicalOnly, (part) =>
          this.database.rows<CentroidCandidate>(
            this.centroidScores(query, sql`select unnest(${intArray(part)})`, withWorks),
          ),
        )
    const byId = new Map<number, CentroidCandidate>()
    for (const c of found) if (!excluded.has(c.id)) byId.set(c.id, c)
    return [...byId.values()]
  }

  /**
   * Centroid scores of the researchers `ids` selects. Each is looked up by key (a lateral subquery
   * with a limit cannot be turned into a join): joined as a list the planner scanned every
   * researcher (22 ms for ~600 candidates among 100k), or under the kNN settings merge-joined
   * the whole researchers index.
   */
  private centroidScores(query: QueryVectors, ids: SQL, withWorks: boolean) {
    const lexical = query.lexical
      ? sql`-(rl.centroid <#> ${once(query.lexical, 'sparsevec')})`
      : sql`null::float8`
    const dense = query.dense
      ? sql`(1 - (re.embedding <=> ${once(query.dense.vector, 'vector')}))::float8`
      : sql`null::float8`
    return sql`
      select c.* from (${ids}) u(id) cross join lateral (
        select r.id, r.name, r.institution_id as "institutionId", i.name as "institutionName",
               i.country_code as "countryCode", r.open_to_collaborate as "openToCollaborate",
               ${withWorks ? sql`(select count(*)::int from ${authorships} a where a.researcher_id = r.id)` : sql`null::int`} as works,
               coalesce(${lexical}, 0) as lexical, coalesce(${dense}, 0) as dense
          from ${researchers} r
          left join ${institutions} i on i.id = r.institution_id
          left join ${researcherLexical} rl on rl.researcher_id = r.id
          left join ${researcherEmbeddings} re on re.researcher_id = r.id and re.model_id = ${query.dense?.modelId ?? null}
         where r.id = u.id and ${notSuspended(sql`r.id`)} limit 1) c`
  }

  /** The named researchers that exist, with the scores of their `newestWorks` newest works. */
  async affinity(
    query: QueryVectors,
    researcherIds: readonly number[],
    newestWorks: number,
  ): Promise<ScoredResearcher[]> {
    return this.inHalves(researcherIds, (part) => this.affinityOf(query, part, newestWorks))
  }

  /**
   * Per-researcher reads of rows and vectors are one backend's random reads and arithmetic: on
   * PostgreSQL two halves run on two connections, once there are enough to be worth a round trip.
   */
  private async inHalves<T>(ids: readonly number[], read: (part: readonly number[]) => Promise<T[]>) {
    if (this.database.kind !== 'postgres' || ids.length < 2 * SPLIT_MIN) return read(ids)
    const half = Math.ceil(ids.length / 2)
    return (await Promise.all([read(ids.slice(0, half)), read(ids.slice(half))])).flat()
  }

  private async affinityOf(
    query: QueryVectors,
    researcherIds: readonly number[],
    newestWorks: number,
  ): Promise<ScoredResearcher[]> {
    if (researcherIds.length === 0) return []
    const lexical = query.lexical
      ? sql`-(l.vector <#> ${once(query.lexical, 'sparsevec')})`
      : sql`null::float8`
    const dense = query.dense
      ? sql`(1 - (e.embedding <=> ${once(query.dense.vector, 'vector')}))::float8`
      : sql`null::float8`
    const modelId = query.dense?.modelId ?? null
    // Aggregated per researcher (lateral): grouping the joined rows sorted them with their vectors.
    // The newest works are chosen from ids and years alone (index-only, works_id_year_idx) before
    // any vector is read; the latest year comes with them.
    const rows = await this.database.rows<Row>(sql`
      select r.id, r.name, r.institution_id as "institutionId", i.name as "institutionName",
             i.country_code as "countryCode", r.open_to_collaborate as "openToCollaborate",
             (select count(*)::int from ${authorships} c where c.researcher_id = r.id) as works, s.*
        from unnest(${intArray(researcherIds)}) u(id)
        join ${researchers} r on r.id = u.id
        left join ${institutions} i on i.id = r.institution_id
        cross join lateral (
          select max(n.year)::int as "lastActiveYear",
                 array_agg(n.work_id order by n.work_id) filter (where l.work_id is not null) as "lexicalWorks",
                 array_agg(${lexical} order by n.work_id) filter (where l.work_id is not null) as "lexicalSims",
                 array_agg(n.work_id order by n.work_id) filter (where e.work_id is not null) as "denseWorks",
                 array_agg(${dense} order by n.work_id) filter (where e.work_id is not null) as "denseSims"
            from (select a.work_id, w.year from ${authorships} a join ${works} w on w.id = a.work_id
                   where a.researcher_id = r.id and ${countsAsExpertise('a')}
                   order by w.year desc nulls last, w.id desc limit ${newestWorks}) n
            left join ${workLexical} l on l.work_id = n.work_id and ${query.lexical !== null}
            left join ${workEmbeddings} e on e.work_id = n.work_id and e.model_id = ${modelId}) s`)
    return rows.map(({ lexicalWorks, lexicalSims, denseWorks, denseSims, ...meta }) => ({
      ...meta,
      lexical: pairs(lexicalWorks, lexicalSims),
      dense: query.dense ? pairs(denseWorks, denseSims) : null,
    }))
  }

  async evidenceWorks(workIds: readonly number[]) {
    if (workIds.length === 0) return new Map<number, { title: string; year: number | null }>()
    const rows = await this.database.rows<{ id: number; title: string; year: number | null }>(sql`
      select id, title, year::int as year from ${works} where id in (${idList(workIds)})`)
    return new Map(rows.map((r) => [r.id, { title: r.title, year: r.year }]))
  }
}

function pairs(ids: number[] | null, sims: number[] | null): WorkScore[] {
  if (!ids || !sims) return []
  return ids.map((workId, i) => ({ workId, similarity: Number(sims[i]) }))
}
