import { type SQL, sql } from 'drizzle-orm'
import { authorships, institutions, researchers, topics, works, workTopics } from '../../db/schema/catalog.js'
import { lexicalTerms, researcherEmbeddings, workLexical } from '../../db/schema/embeddings.js'
import { researcherHubness, researcherLexical } from '../../db/schema/matching.js'
import type { Database } from '../infra/db/database.js'
import { intArray, textArray } from '../infra/db/sql-rows.js'
import { isSuspended, notSuspended } from '../moderation/suspended.js'
import { countsAsExpertise } from '../researchers/settings-repository.js'
import type { MetaFilters } from './filters.js'
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
  /** Read for suggestions only: some record of this person (by ORCID), this one included, is claimed. */
  personClaimed?: boolean
}

export interface RecordIdentity {
  orcid: string
  claimed: boolean
  /** Some record with this ORCID, this one included, is claimed. */
  personClaimed: boolean
}

/** Whether any record of the person behind `r` (by ORCID) is claimed: an index probe per record. */
const personClaimed = (r: SQL) =>
  sql`(${r}.orcid is not null and exists (select 1 from ${researchers} s
        where s.orcid = ${r}.orcid and s.claimed_by_account_id is not null))`

export interface Hit {
  id: number
  similarity: number
}

/** What a candidate's lexical profile row carries besides the vectors: read with the similarity. */
export interface ProfileTraits {
  /** Null (not computed yet) reads as 0. */
  hubness: number
  lastAuthorShare: number
}

export type LexicalHit = Hit & ProfileTraits

/** kNN hits of one researcher; `lexical` is null when they have no group profile yet. */
export interface Neighbours {
  lexical: LexicalHit[] | null
  dense: Hit[]
}

/** The traits of the researcher_lexical row `row`; what is not computed yet reads as 0. */
const traits = (row: string) => sql`
  coalesce((select h.hubness from ${researcherHubness} h where h.researcher_id = ${sql.raw(row)}.researcher_id), 0)
    as hubness,
  coalesce(${sql.raw(row)}.last_author_share, 0) as "lastAuthorShare"`

export interface WorkSimilarity {
  researcherId: number
  workId: number
  title: string
  year: number | null
  similarity: number
}

const EXPLAINED_WORKS = 8

/** An empty part of a combined statement: planning a part that cannot match costs as much as one that can. */
const none = sql`'[]'::json`

/** Nearest-neighbour lookups and the per-work similarities used to re-rank them. */
export class CandidatesRepository {
  constructor(private readonly database: Database) {}

  async exists(researcherIds: readonly number[]): Promise<Set<number>> {
    if (researcherIds.length === 0) return new Set()
    const rows = await this.database.rows<{ id: number }>(sql`
      select id from ${researchers} where id in (${idList(researcherIds)})`)
    return new Set(rows.map((r) => r.id))
  }

  /** Which of `ids` an operator suspended. */
  async suspendedAmong(ids: readonly number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set()
    const rows = await this.database.rows<{ id: number }>(sql`
      select u.id from unnest(${intArray(ids)}) u(id) where ${isSuspended(sql`u.id`)}`)
    return new Set(rows.map((r) => r.id))
  }

  /**
   * The ORCID, and whether it is claimed, of each of `ids` that has one: records sharing an ORCID
   * are one person's split profile (catalogues hold several records per person).
   */
  async identitiesOf(ids: readonly number[]): Promise<Map<number, RecordIdentity>> {
    if (ids.length === 0) return new Map()
    const rows = await this.database.rows<RecordIdentity & { id: number }>(sql`
      select r.id, r.orcid, r.claimed_by_account_id is not null as claimed, ${personClaimed(sql`r`)} as "personClaimed"
        from ${researchers} r where r.id = any(${intArray(ids)}) and r.orcid is not null`)
    return new Map(rows.map(({ id, ...identity }) => [id, identity]))
  }

  /** `ids` and every other record that shares an ORCID with one of them. */
  async withSamePerson(ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return []
    const rows = await this.database.rows<{ id: number }>(sql`
      select r.id from ${researchers} r
       where r.orcid in (select g.orcid from ${researchers} g where g.id = any(${intArray(ids)}))
      union select unnest(${intArray(ids)})`)
    return rows.map((r) => r.id)
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

  /**
   * Both kNN searches of a researcher in one statement and one HNSW transaction: each separate
   * search cost a transaction of four round trips, and reading the researcher's vectors first
   * two more. The vectors are read by scalar subqueries, which the planner evaluates once before
   * the index scans, so ordering by them still uses the HNSW indexes.
   */
  async neighboursOf(researcherId: number, denseModelId: string | null, limit: number): Promise<Neighbours> {
    const ownGroup = sql`(select group_centroid from ${researcherLexical} where researcher_id = ${researcherId})`
    const ownDense = sql`(select embedding from ${researcherEmbeddings}
      where researcher_id = ${researcherId} and model_id = ${denseModelId})`
    const noTraits = sql`0::float8 as hubness, 0::float8 as "lastAuthorShare"`
    const dense = denseModelId
      ? sql`union all (
          select 'dense' as source, researcher_id as id, 1 - (embedding <=> ${ownDense}) as similarity, ${noTraits}
            from ${researcherEmbeddings} where model_id = ${denseModelId} and ${ownDense} is not null
           order by embedding <=> ${ownDense} limit ${limit})`
      : sql``
    const rows = await knnRows<LexicalHit & { source: 'own' | 'lexical' | 'dense' }>(
      this.database,
      limit,
      sql`(select 'own' as source, 0 as id, 0::float8 as similarity, ${noTraits} where ${ownGroup} is not null)
          union all (
          select 'lexical' as source, p.researcher_id as id, -(p.group_centroid <#> ${ownGroup}) as similarity,
                 ${traits('p')}
            from ${researcherLexical} p where ${ownGroup} is not null
           order by p.group_centroid <#> ${ownGroup} limit ${limit})
          ${dense}`,
    )
    const lexical = rows
      .filter((r) => r.source === 'lexical')
      .map(({ id, similarity, hubness, lastAuthorShare }) => ({ id, similarity, hubness, lastAuthorShare }))
    return {
      lexical: rows.some((r) => r.source === 'own') ? lexical : null,
      dense: rows.filter((r) => r.source === 'dense').map(({ id, similarity }) => ({ id, similarity })),
    }
  }

  /** Text similarities of `ids` to the researcher, with the candidates' profile traits. */
  async groupSimilarities(researcherId: number, ids: readonly number[]): Promise<Map<number, LexicalHit>> {
    if (ids.length === 0) return new Map()
    const rows = await this.database.rows<LexicalHit>(sql`
      select b.researcher_id as id, -(b.group_centroid <#> a.group_centroid) as similarity, ${traits('b')}
        from ${researcherLexical} a, ${researcherLexical} b
       where a.researcher_id = ${researcherId} and b.researcher_id in (${idList(ids)})`)
    return new Map(rows.map((r) => [r.id, r]))
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

  /** With `suggestible`, only records that may be served as suggestions (not suspended). */
  async meta(ids: readonly number[], suggestible = false): Promise<Map<number, ResearcherMeta>> {
    const out = new Map<number, ResearcherMeta>()
    for (let i = 0; i < ids.length; i += 5_000)
      for (const row of await this.database.rows<ResearcherMeta>(
        metaQuery(ids.slice(i, i + 5_000), suggestible),
      ))
        out.set(row.id, row)
    return out
  }

  /**
   * The records of the first `limit` of `rankedIds`, in that order, that pass the filters: one
   * statement however deep in the ranking they are. Reading records a slice at a time cost a round
   * trip per slice, and each slice counted every candidate's works; here the works are counted
   * only for a filter on them and for the records returned.
   */
  async firstPassing(
    rankedIds: readonly number[],
    filters: MetaFilters,
    limit: number,
  ): Promise<ResearcherMeta[]> {
    if (rankedIds.length === 0 || limit <= 0) return []
    return this.database.rows<ResearcherMeta>(sql`
      select p.id, p.name, p."institutionId", p."institutionName", p."countryCode", p."openToCollaborate",
             ${worksCount(sql`p.id`)} as works, ${lastActiveYear(sql`p.id`)} as "lastActiveYear", p."personClaimed"
        from (
          select u.ord, r.id, r.name, r.institution_id as "institutionId", i.name as "institutionName",
                 i.country_code as "countryCode", r.open_to_collaborate as "openToCollaborate",
                 ${personClaimed(sql`r`)} as "personClaimed"
            from unnest(${intArray(rankedIds)}) with ordinality u(id, ord)
            join ${researchers} r on r.id = u.id
            left join ${institutions} i on i.id = r.institution_id
           where ${sql.join(filterConditions(filters), sql` and `)}
           order by u.ord limit ${limit}) p
       order by p.ord`)
  }

  /**
   * Records of `metaIds` (suggestible ones only) and the explanations of `explainIds` (work pairs,
   * shared topics, names of `nameIds`) in one statement: apart they were four round trips after
   * the ranking.
   */
  async details(
    researcherId: number,
    metaIds: readonly number[],
    explainIds: readonly number[],
    nameIds: readonly number[],
  ): Promise<{ meta: Map<number, ResearcherMeta> } & Explanations> {
    const [row] = await this.database.rows<{
      meta: ResearcherMeta[]
      pairs: (WorkPair & { rank: number })[]
      topics: SharedTopic[]
      names: { id: number; name: string }[]
    }>(sql`
      select
        ${metaIds.length === 0 ? none : sql`(select coalesce(json_agg(m), '[]') from (${metaQuery(metaIds, true)}) m)`} as meta,
        ${
          explainIds.length === 0
            ? sql`${none} as pairs, ${none} as topics`
            : sql`(select coalesce(json_agg(p order by p."candidateId", p.rank), '[]')
                     from (${workPairsQuery(researcherId, explainIds)}) p) as pairs,
                  (select coalesce(json_agg(t order by t."candidateId", t.works desc, t.id), '[]')
                     from (${sharedTopicsQuery(researcherId, explainIds)}) t) as topics`
        },
        ${
          nameIds.length === 0
            ? none
            : sql`(select coalesce(json_agg(n), '[]')
                     from (select id, name from ${researchers} where id in (${idList(nameIds)})) n)`
        } as names`)
    return {
      meta: new Map(row!.meta.map((m) => [m.id, m])),
      pairs: row!.pairs.map(({ rank: _, ...pair }) => pair),
      topics: row!.topics,
      names: new Map(row!.names.map((n) => [n.id, n.name])),
    }
  }
}

export interface WorkPair {
  candidateId: number
  ownId: number
  ownTitle: string
  ownYear: number | null
  theirId: number
  theirTitle: string
  theirYear: number | null
  similarity: number
}

export interface SharedTopic {
  candidateId: number
  id: number
  name: string
  works: number
}

export interface Explanations {
  pairs: WorkPair[]
  topics: SharedTopic[]
  names: Map<number, string>
}

const worksCount = (researcherId: SQL) =>
  sql`(select count(*)::int from ${authorships} a where a.researcher_id = ${researcherId})`
const lastActiveYear = (researcherId: SQL) =>
  sql`(select max(w.year)::int from ${authorships} a join ${works} w on w.id = a.work_id
        where a.researcher_id = ${researcherId})`

/** With `suggestible`, suspended records are left out: they are never served as suggestions. */
function metaQuery(ids: readonly number[], suggestible: boolean) {
  return sql`
    select r.id, r.name, r.institution_id as "institutionId", i.name as "institutionName",
           i.country_code as "countryCode", r.open_to_collaborate as "openToCollaborate",
           ${worksCount(sql`r.id`)} as works, ${lastActiveYear(sql`r.id`)} as "lastActiveYear"
           ${suggestible ? sql`, ${personClaimed(sql`r`)} as "personClaimed"` : sql``}
      from ${researchers} r left join ${institutions} i on i.id = r.institution_id
     where r.id in (${idList(ids)})${suggestible ? sql` and ${notSuspended(sql`r.id`)}` : sql``}`
}

/**
 * `passesFilters` as SQL over `r` (researchers) and `i` (their institution). The record columns
 * come first so that the planner, which orders conditions by cost, reads works only for the rows
 * that pass them.
 */
function filterConditions(f: MetaFilters): SQL[] {
  const conditions: SQL[] = [notSuspended(sql`r.id`)]
  if (f.openToCollaborate) conditions.push(sql`r.open_to_collaborate`)
  if (f.institutionIds?.length) conditions.push(sql`r.institution_id = any(${intArray(f.institutionIds)})`)
  if (f.excludeInstitutionIds?.length)
    conditions.push(
      sql`(r.institution_id is null or r.institution_id <> all(${intArray(f.excludeInstitutionIds)}))`,
    )
  if (f.countries?.length) conditions.push(sql`i.country_code = any(${textArray(f.countries)})`)
  if (f.excludeCountries?.length)
    conditions.push(sql`(i.country_code is null or i.country_code <> all(${textArray(f.excludeCountries)}))`)
  if (f.minWorks !== undefined) conditions.push(sql`${worksCount(sql`r.id`)} >= ${f.minWorks}`)
  if (f.activeSince !== undefined)
    conditions.push(sql`exists (select 1 from ${authorships} a join ${works} w on w.id = a.work_id
                                 where a.researcher_id = r.id and w.year >= ${f.activeSince})`)
  return conditions
}

/**
 * The three most similar (own work, their work) pairs per candidate, over each side's
 * EXPLAINED_WORKS newest works: a pair of current interests explains best, and every pair costs a
 * sparse inner product. Each side's newest works are chosen from ids and years alone (index-only, with works_id_year_idx)
 * and only theirs are read in full: reading every work row and vector first cost most of the time.
 */
function workPairsQuery(researcherId: number, candidateIds: readonly number[]) {
  const hasVector = sql`exists (select 1 from ${workLexical} l where l.work_id = w.id)`
  return sql`
    with own as materialized (
      select o.id, l.vector from (
        select w.id from ${authorships} a join ${works} w on w.id = a.work_id
         where a.researcher_id = ${researcherId} and ${hasVector} and ${countsAsExpertise('a')}
         order by w.year desc nulls last, w.id desc limit ${EXPLAINED_WORKS}) o
        join ${workLexical} l on l.work_id = o.id
    ), theirs as materialized (
      select t.cid, t.id, l.vector from (
        select a.researcher_id as cid, w.id,
               row_number() over (partition by a.researcher_id order by w.year desc nulls last, w.id desc) as n
          from ${authorships} a join ${works} w on w.id = a.work_id
         where a.researcher_id in (${idList(candidateIds)}) and ${hasVector} and ${countsAsExpertise('a')}) t
        join ${workLexical} l on l.work_id = t.id
       where t.n <= ${EXPLAINED_WORKS}
    ), pairs as (
      select t.cid, o.id as own_id, t.id as their_id, -(o.vector <#> t.vector) as similarity,
             row_number() over (partition by t.cid order by o.vector <#> t.vector, o.id, t.id) as rank
        from own o cross join theirs t where o.id <> t.id
    )
    select p.cid as "candidateId", p.own_id as "ownId", wo.title as "ownTitle", wo.year::int as "ownYear",
           p.their_id as "theirId", wt.title as "theirTitle", wt.year::int as "theirYear", p.similarity, p.rank
      from pairs p
      -- A plain join let the planner misjudge the pairs and merge-join the whole works table;
      -- offset 0 keeps each lookup a lateral index probe.
      cross join lateral (select title, year from ${works} where id = p.own_id offset 0) wo
      cross join lateral (select title, year from ${works} where id = p.their_id offset 0) wt
     where p.rank <= 3 order by p.cid, p.rank`
}

function sharedTopicsQuery(researcherId: number, candidateIds: readonly number[]) {
  return sql`
    with mine as (
      select distinct wt.topic_id from ${authorships} a join ${workTopics} wt on wt.work_id = a.work_id
       where a.researcher_id = ${researcherId})
    select a.researcher_id as "candidateId", t.id, t.name, count(distinct a.work_id)::int as works
      from ${authorships} a join ${workTopics} wt on wt.work_id = a.work_id
      join mine m on m.topic_id = wt.topic_id join ${topics} t on t.id = wt.topic_id
     where a.researcher_id in (${idList(candidateIds)})
     group by a.researcher_id, t.id, t.name
     order by a.researcher_id, works desc, t.id`
}
