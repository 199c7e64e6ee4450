import { sql } from 'drizzle-orm'
import { authorships, institutions, researchers, topics, works, workTopics } from '../../db/schema/catalog.js'
import { lexicalTerms, researcherEmbeddings, workLexical } from '../../db/schema/embeddings.js'
import { researcherLexical } from '../../db/schema/matching.js'
import type { Database } from '../infra/db/database.js'
import { idList, knnRows } from './sql.js'

export interface ResearcherMeta {
  id: number
  name: string
  institutionId: number | null
  institutionName: string | null
  countryCode: string | null
  openToCollaborate: boolean
  works: number
  lastActiveYear: number | null
}

export interface Hit {
  id: number
  similarity: number
}

export interface WorkSimilarity {
  researcherId: number
  workId: number
  title: string
  year: number | null
  similarity: number
}

const EXPLAINED_WORKS = 8

/** Nearest-neighbour lookups and the per-work similarities used to re-rank them. */
export class CandidatesRepository {
  constructor(private readonly database: Database) {}

  async exists(researcherIds: readonly number[]): Promise<Set<number>> {
    if (researcherIds.length === 0) return new Set()
    const rows = await this.database.rows<{ id: number }>(sql`
      select id from ${researchers} where id in (${idList(researcherIds)})`)
    return new Set(rows.map((r) => r.id))
  }

  /** undefined: no such record; null: nobody claimed it. */
  async claimantOf(researcherId: number): Promise<number | null | undefined> {
    const rows = await this.database.rows<{ accountId: number | null }>(sql`
      select claimed_by_account_id as "accountId" from ${researchers} where id = ${researcherId}`)
    return rows.length === 0 ? undefined : rows[0]!.accountId
  }

  async idsByExternalId(externalIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>()
    for (let i = 0; i < externalIds.length; i += 5_000) {
      const chunk = externalIds.slice(i, i + 5_000)
      const rows = await this.database.rows<{ id: number; externalId: string }>(sql`
        select id, external_id as "externalId" from ${researchers}
         where external_id in (${sql.join(
           chunk.map((e) => sql`${e}`),
           sql`, `,
         )})`)
      for (const row of rows) out.set(row.externalId, row.id)
    }
    return out
  }

  async documentFrequencies(buckets: readonly number[]): Promise<Map<number, number>> {
    if (buckets.length === 0) return new Map()
    const rows = await this.database.rows<{ bucket: number; df: number }>(sql`
      select term_hash as bucket, df from ${lexicalTerms} where term_hash in (${idList(buckets)})`)
    return new Map(rows.map((r) => [r.bucket, r.df]))
  }

  /** The corpus size the newest lexical vectors were weighted with: index-only, unlike count(*). */
  async corpusSize(): Promise<number> {
    const [row] = await this.database.rows<{ n: number | null }>(sql`
      select max(corpus_size)::int as n from ${workLexical}`)
    return row?.n ?? 0
  }

  async groupCentroid(researcherId: number): Promise<string | null> {
    const [row] = await this.database.rows<{ v: string }>(sql`
      select group_centroid::text as v from ${researcherLexical} where researcher_id = ${researcherId}`)
    return row?.v ?? null
  }

  /** kNN over researcher profiles by inner product (= cosine: the vectors are unit length). */
  async lexicalNeighbours(
    query: string,
    column: 'centroid' | 'group_centroid',
    limit: number,
  ): Promise<Hit[]> {
    const col = sql.raw(column)
    return knnRows<Hit>(
      this.database,
      limit,
      sql`select researcher_id as id, -(${col} <#> ${query}::sparsevec) as similarity
            from ${researcherLexical} order by ${col} <#> ${query}::sparsevec limit ${limit}`,
    )
  }

  async groupSimilarities(researcherId: number, ids: readonly number[]): Promise<Map<number, number>> {
    if (ids.length === 0) return new Map()
    const rows = await this.database.rows<Hit>(sql`
      select b.researcher_id as id, -(b.group_centroid <#> a.group_centroid) as similarity
        from ${researcherLexical} a, ${researcherLexical} b
       where a.researcher_id = ${researcherId} and b.researcher_id in (${idList(ids)})`)
    return new Map(rows.map((r) => [r.id, r.similarity]))
  }

  /**
   * The researcher's vector is read first: ordered by distance to another row's column, the
   * planner cannot use the HNSW index and compares every centroid (300 ms at 20k researchers).
   */
  async denseResearcherNeighbours(researcherId: number, modelId: string, limit: number): Promise<Hit[]> {
    const [own] = await this.database.rows<{ v: string }>(sql`
      select embedding::text as v from ${researcherEmbeddings}
       where researcher_id = ${researcherId} and model_id = ${modelId}`)
    if (!own) return []
    return knnRows<Hit>(
      this.database,
      limit,
      sql`select researcher_id as id, 1 - (embedding <=> ${own.v}::vector) as similarity
            from ${researcherEmbeddings} where model_id = ${modelId}
           order by embedding <=> ${own.v}::vector limit ${limit}`,
    )
  }

  async denseSimilarities(researcherId: number, ids: readonly number[], modelId: string) {
    if (ids.length === 0) return new Map<number, number>()
    const rows = await this.database.rows<Hit>(sql`
      select b.researcher_id as id, 1 - (b.embedding <=> a.embedding) as similarity
        from ${researcherEmbeddings} a, ${researcherEmbeddings} b
       where a.researcher_id = ${researcherId} and a.model_id = ${modelId} and b.model_id = ${modelId}
         and b.researcher_id in (${idList(ids)})`)
    return new Map(rows.map((r) => [r.id, r.similarity]))
  }

  async meta(ids: readonly number[]): Promise<Map<number, ResearcherMeta>> {
    const out = new Map<number, ResearcherMeta>()
    for (let i = 0; i < ids.length; i += 5_000) {
      const rows = await this.database.rows<ResearcherMeta>(sql`
        select r.id, r.name, r.institution_id as "institutionId", i.name as "institutionName",
               i.country_code as "countryCode", r.open_to_collaborate as "openToCollaborate",
               (select count(*)::int from ${authorships} a where a.researcher_id = r.id) as works,
               (select max(w.year)::int from ${authorships} a join ${works} w on w.id = a.work_id
                 where a.researcher_id = r.id) as "lastActiveYear"
          from ${researchers} r left join ${institutions} i on i.id = r.institution_id
         where r.id in (${idList(ids.slice(i, i + 5_000))})`)
      for (const row of rows) out.set(row.id, row)
    }
    return out
  }

  /**
   * The three most similar (own work, their work) pairs per candidate, over each side's
   * EXPLAINED_WORKS newest works: a pair of current interests explains best, and every pair costs a
   * sparse inner product.
   */
  async bestWorkPairs(researcherId: number, candidateIds: readonly number[]) {
    if (candidateIds.length === 0) return []
    return this.database.rows<{
      candidateId: number
      ownId: number
      ownTitle: string
      ownYear: number | null
      theirId: number
      theirTitle: string
      theirYear: number | null
      similarity: number
    }>(sql`
      with own as (
        select w.id, w.title, w.year, l.vector from ${authorships} a
          join ${works} w on w.id = a.work_id join ${workLexical} l on l.work_id = w.id
         where a.researcher_id = ${researcherId}
         order by w.year desc nulls last, w.id desc limit ${EXPLAINED_WORKS}
      ), theirs as (
        select * from (
          select a.researcher_id as cid, w.id, w.title, w.year, l.vector,
                 row_number() over (partition by a.researcher_id order by w.year desc nulls last, w.id desc) as n
            from ${authorships} a join ${works} w on w.id = a.work_id join ${workLexical} l on l.work_id = w.id
           where a.researcher_id in (${idList(candidateIds)})) t where n <= ${EXPLAINED_WORKS}
      ), pairs as (
        select t.cid, o.id as own_id, o.title as own_title, o.year as own_year,
               t.id as their_id, t.title as their_title, t.year as their_year,
               -(o.vector <#> t.vector) as similarity,
               row_number() over (partition by t.cid order by o.vector <#> t.vector, o.id, t.id) as rank
          from own o cross join theirs t where o.id <> t.id
      )
      select cid as "candidateId", own_id as "ownId", own_title as "ownTitle", own_year::int as "ownYear",
             their_id as "theirId", their_title as "theirTitle", their_year::int as "theirYear", similarity
        from pairs where rank <= 3 order by cid, rank`)
  }

  /** Topics on works of both sides, most frequent on the candidate's side first. */
  async sharedTopics(researcherId: number, candidateIds: readonly number[]) {
    if (candidateIds.length === 0) return []
    return this.database.rows<{ candidateId: number; id: number; name: string; works: number }>(sql`
      with mine as (
        select distinct wt.topic_id from ${authorships} a join ${workTopics} wt on wt.work_id = a.work_id
         where a.researcher_id = ${researcherId})
      select a.researcher_id as "candidateId", t.id, t.name, count(distinct a.work_id)::int as works
        from ${authorships} a join ${workTopics} wt on wt.work_id = a.work_id
        join mine m on m.topic_id = wt.topic_id join ${topics} t on t.id = wt.topic_id
       where a.researcher_id in (${idList(candidateIds)})
       group by a.researcher_id, t.id, t.name
       order by a.researcher_id, works desc, t.id`)
  }
}
