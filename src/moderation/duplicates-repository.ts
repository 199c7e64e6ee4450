import { sql } from 'drizzle-orm'
import {
  authorships,
  coauthorEdges,
  distinctResearchers,
  institutions,
  researcherLexical,
  researchers,
} from '../../db/schema/index.js'
import type { Database } from '../infra/db/database.js'
import { intArray } from '../infra/db/sql-rows.js'
import { isSuspended } from './suspended.js'

export interface DuplicateGroup {
  orcid: string
  records: { id: number; name: string; externalId: string; claimed: boolean; works: number }[]
}

export interface PairRecord {
  id: number
  name: string
  externalId: string
  orcid: string | null
  claimed: boolean
  works: number
  institution: { id: number; name: string } | null
}

export interface PairEvidence {
  a: number
  b: number
  shared: number
  sameInstitution: boolean
}

export interface LikelyPair {
  records: [PairRecord, PairRecord]
  sharedCoauthors: number
  sameInstitution: boolean
  topicSimilarity: number | null
}

/**
 * Records sharing a family name and initial are compared pairwise; a larger group is a common name
 * (hundreds of "Y. Wang"), whose pairs an operator could not tell apart by this evidence anyway.
 */
export const MAX_NAME_GROUP = 200

/** The usual survivor of a merge first, in both queues: the claimed record, then the one with more works. */
function survivorFirst(x: DuplicateGroup['records'][number], y: DuplicateGroup['records'][number]): number {
  return Number(y.claimed) - Number(x.claimed) || y.works - x.works || x.id - y.id
}

export class DuplicatesRepository {
  constructor(private readonly database: Database) {}

  /**
   * Records that share an ORCID, grouped: the likeliest duplicates, for operators to merge, each
   * group's usual survivor first.
   */
  async byOrcid(limit: number, offset: number): Promise<{ items: DuplicateGroup[]; total: number }> {
    const shared = sql`select orcid from ${researchers} where orcid is not null group by orcid having count(*) > 1`
    const [items, [total]] = await Promise.all([
      this.database.rows<DuplicateGroup>(sql`
        select g.orcid, (
          select json_agg(json_build_object('id', r.id, 'name', r.name, 'externalId', r.external_id,
                                            'claimed', r.claimed_by_account_id is not null, 'works', w.n))
            from ${researchers} r
            cross join lateral (select count(*)::int as n from ${authorships} a where a.researcher_id = r.id) w
           where r.orcid = g.orcid) as records
          from (${shared} order by orcid limit ${limit} offset ${offset}) g
         order by g.orcid`),
      this.database.rows<{ n: number }>(sql`select count(*)::int as n from (${shared}) g`),
    ])
    return {
      items: items.map((g) => ({ ...g, records: g.records.sort(survivorFirst) })),
      total: total?.n ?? 0,
    }
  }

  /**
   * Pairs of records that may be one person although no ORCID says so: the same family name and
   * compatible given names ("A. Folder", "Ada Folder", "Folder, Ada"), plus a shared co-author or
   * the same institution. Left out: pairs that wrote together (two people), pairs with an ORCID each
   * (the same one is the ORCID queue, different ones are two people), two claimed records and
   * suspended records, none of which a merge would take.
   */
  async plausiblePairs(): Promise<PairEvidence[]> {
    return this.database.rows<PairEvidence>(sql`
      with keyed as (
        select r.id, split_part(r.name_key, ' ', 2) as given,
               split_part(r.name_key, ' ', 1) || ' ' || left(split_part(r.name_key, ' ', 2), 1) as key,
               r.institution_id, r.orcid, r.claimed_by_account_id is not null as claimed
          from ${researchers} r
         where r.name_key is not null and not ${isSuspended(sql`r.id`)}
      ), usable as (
        -- hashtext: the pairing below groups every edge of these researchers by key (1.5M at 100k
        -- researchers), and integers sort far faster than collated text; a collision of two keys is
        -- caught by comparing the keys of each pair after.
        select k.*, hashtext(k.key) as hash
          from keyed k
         where k.key in (select key from keyed group by key having count(*) between 2 and ${MAX_NAME_GROUP})
      ), linked as (
        -- Each researcher's co-authors grouped by name key: a pair that shares a co-author meets in
        -- that co-author's group, and only same-key neighbours are ever paired (pairing whole
        -- neighbourhoods first would be Σ deg² rows).
        select a, b, count(*)::int as shared
          from (select e.researcher_id, u.hash, array_agg(u.id) as ids
                  from ${coauthorEdges} e join usable u on u.id = e.coauthor_id
                 group by e.researcher_id, u.hash having count(*) > 1) g,
               lateral (select x.id as a, y.id as b
                          from unnest(g.ids) x(id) join unnest(g.ids) y(id) on y.id > x.id) p
         group by a, b
      ), colleagues as (
        select a.id as a, b.id as b
          from usable a join usable b on b.key = a.key and b.institution_id = a.institution_id and b.id > a.id
      ), pairs as (
        select coalesce(l.a, c.a) as a, coalesce(l.b, c.b) as b, coalesce(l.shared, 0) as shared,
               c.a is not null as "sameInstitution"
          from linked l full join colleagues c on c.a = l.a and c.b = l.b
      ), plausible as (
        select p.* from pairs p
          join usable ua on ua.id = p.a
          join usable ub on ub.id = p.b
         where ua.key = ub.key and (ua.given = ub.given or length(ua.given) = 1 or length(ub.given) = 1)
           and (ua.orcid is null or ub.orcid is null)
           and not (ua.claimed and ub.claimed)
           and not exists (select 1 from ${coauthorEdges} e where e.researcher_id = p.a and e.coauthor_id = p.b)
           and not exists (select 1 from ${distinctResearchers} d where d.low_id = p.a and d.high_id = p.b)
      )
      select a, b, shared, "sameInstitution" from plausible
       order by shared desc, "sameInstitution" desc, a, b`)
  }

  /** The page's records, and the cosine of each pair's lexical profiles (null while either has none). */
  async describe(pairs: readonly PairEvidence[]): Promise<LikelyPair[]> {
    if (pairs.length === 0) return []
    const [records, similarities] = await Promise.all([
      this.pairRecords(pairs.flatMap((p) => [p.a, p.b])),
      this.database.rows<{ a: number; b: number; similarity: number | null }>(sql`
        select p.a, p.b, -(la.centroid <#> lb.centroid) as similarity
          from unnest(${intArray(pairs.map((p) => p.a))}, ${intArray(pairs.map((p) => p.b))}) p(a, b)
          left join ${researcherLexical} la on la.researcher_id = p.a
          left join ${researcherLexical} lb on lb.researcher_id = p.b`),
    ])
    const similarity = new Map(similarities.map((r) => [`${r.a}:${r.b}`, r.similarity]))
    // A list found a little earlier can name a record merged away since (by another instance).
    return pairs
      .filter((p) => records.has(p.a) && records.has(p.b))
      .map((p): LikelyPair => {
        const topic = similarity.get(`${p.a}:${p.b}`) ?? null
        return {
          records: [records.get(p.a)!, records.get(p.b)!].sort(survivorFirst) as [PairRecord, PairRecord],
          sharedCoauthors: p.shared,
          sameInstitution: p.sameInstitution,
          // Single-precision vectors: identical texts can come out a hair above 1.
          topicSimilarity: topic === null ? null : Math.min(1, Number(topic)),
        }
      })
  }

  /** Records the pair as two people; false when either record does not exist. Idempotent. */
  async markDistinct(a: number, b: number, accountId: number): Promise<boolean> {
    const [low, high] = a < b ? [a, b] : [b, a]
    const [row] = await this.database.rows<{ found: number }>(sql`
      with found as (select count(*)::int as n from ${researchers} where id in (${low}, ${high})),
           marked as (
             insert into ${distinctResearchers} (low_id, high_id, marked_by_account_id)
             select ${low}, ${high}, ${accountId} from found where n = 2
             on conflict do nothing)
      select n as found from found`)
    return row?.found === 2
  }

  /** Takes the mark back; false when either record does not exist. Idempotent. */
  async unmarkDistinct(a: number, b: number): Promise<boolean> {
    const [low, high] = a < b ? [a, b] : [b, a]
    const [row] = await this.database.rows<{ found: number }>(sql`
      with removed as (
             delete from ${distinctResearchers} where low_id = ${low} and high_id = ${high})
      select count(*)::int as found from ${researchers} where id in (${low}, ${high})`)
    return row?.found === 2
  }

  private async pairRecords(ids: number[]): Promise<Map<number, PairRecord>> {
    const rows = await this.database.rows<PairRecord>(sql`
      select r.id, r.name, r.external_id as "externalId", r.orcid,
             r.claimed_by_account_id is not null as claimed,
             (select count(*)::int from ${authorships} a where a.researcher_id = r.id) as works,
             case when i.id is null then null else json_build_object('id', i.id, 'name', i.name) end as institution
        from ${researchers} r
        left join ${institutions} i on i.id = r.institution_id
       where r.id = any(${intArray(ids)})`)
    return new Map(rows.map((r) => [r.id, r]))
  }
}
