import { sql } from 'drizzle-orm'
import {
  authorships,
  institutions,
  researcherMerges,
  researchers,
  topics,
  works,
  workTopics,
} from '../../db/schema/index.js'
import type { Database, Tx } from '../infra/db/database.js'
import { intArray, jsonRows, keyLookupsOnly, textArray, txRows } from '../infra/db/sql-rows.js'
import { appendOutbox } from '../infra/outbox.js'
import type { NormalizedInstitution, NormalizedWork } from './openalex.js'

export interface BatchOutcome {
  inserted: number[]
  updated: number[]
  unchanged: number
  /** The `works:changed` event stored with the batch; null when nothing changed. */
  outboxId: number | null
}

type AuthorRow = {
  externalId: string
  name: string
  orcid: string | null
  institutionId: number | null
  year: number | null
}

// Sorted keys make concurrent importers lock rows in the same order, so they cannot deadlock.
const sortedValues = <T>(map: Map<string, T>): T[] =>
  [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value)

export class IngestRepository {
  constructor(private readonly database: Database) {}

  /** Upserts one batch in one transaction; a record whose content did not change is not written at all. */
  async upsertBatch(batch: NormalizedWork[]): Promise<BatchOutcome> {
    const byKey = new Map(batch.map((work) => [work.externalId, work]))
    return this.database.db.transaction(async (tx) => {
      await keyLookupsOnly(tx)
      const existing = await txRows<{ id: number; externalId: string; contentHash: string }>(
        tx,
        sql`select id, external_id as "externalId", content_hash as "contentHash"
              from ${works} where external_id = any(${textArray([...byKey.keys()])})`,
      )
      const existingByKey = new Map(existing.map((row) => [row.externalId, row]))
      let changed = sortedValues(byKey).filter(
        (work) => existingByKey.get(work.externalId)?.contentHash !== work.contentHash,
      )
      if (changed.length === 0) return { inserted: [], updated: [], unchanged: batch.length, outboxId: null }

      const institutionIds = await this.upsertInstitutions(tx, changed)
      const topicIds = await this.upsertTopics(tx, changed)
      const researcherIds = await this.upsertResearchers(tx, changed, institutionIds)

      const inserted: number[] = []
      const updated: number[] = []
      const workIds = new Map<string, number>()
      const fresh = changed.filter((work) => !existingByKey.has(work.externalId))
      if (fresh.length > 0) {
        const rows = await txRows<{ id: number; externalId: string }>(
          tx,
          sql`insert into ${works} (external_id, doi, title, abstract, year, type, venue, content_hash)
              select r.external_id, r.doi, r.title, r.abstract, r.year, r.type, r.venue, r.content_hash
                from json_to_recordset(${jsonRows(fresh.map(workColumns))}) as r(${WORK_COLUMNS})
              on conflict (external_id) do nothing
              returning id, external_id as "externalId"`,
        )
        for (const row of rows) workIds.set(row.externalId, row.id)
        for (const work of fresh)
          if (workIds.has(work.externalId)) inserted.push(workIds.get(work.externalId)!)
        // A batch running at once inserted these first (the conflict waited for its commit): they are
        // existing works now, updated when this batch has other content and otherwise left alone.
        const raced = fresh.filter((work) => !workIds.has(work.externalId))
        if (raced.length > 0) {
          const rows = await txRows<{ id: number; externalId: string; contentHash: string }>(
            tx,
            sql`select id, external_id as "externalId", content_hash as "contentHash"
                  from ${works} where external_id = any(${textArray(raced.map((work) => work.externalId))})`,
          )
          for (const row of rows) existingByKey.set(row.externalId, row)
          changed = changed.filter(
            (work) =>
              workIds.has(work.externalId) ||
              existingByKey.get(work.externalId)?.contentHash !== work.contentHash,
          )
          if (changed.length === 0)
            return { inserted: [], updated: [], unchanged: batch.length, outboxId: null }
        }
      }
      const edited = changed.filter((work) => existingByKey.has(work.externalId))
      if (edited.length > 0) {
        await tx.execute(sql`
          update ${works} w
             set external_id = r.external_id, doi = r.doi, title = r.title, abstract = r.abstract,
                 year = r.year, type = r.type, venue = r.venue, content_hash = r.content_hash,
                 updated_at = now()
            from json_to_recordset(${jsonRows(
              edited.map((work) => ({ ...workColumns(work), id: existingByKey.get(work.externalId)!.id })),
            )}) as r(id int, ${WORK_COLUMNS})
           where w.id = r.id`)
        for (const work of edited) {
          const id = existingByKey.get(work.externalId)!.id
          workIds.set(work.externalId, id)
          updated.push(id)
        }
      }
      if (updated.length > 0) {
        await tx.execute(sql`delete from ${authorships} where work_id = any(${intArray(updated)})`)
        await tx.execute(sql`delete from ${workTopics} where work_id = any(${intArray(updated)})`)
      }

      const authorshipRows = changed.flatMap((work) =>
        // Two author ids of one work can name one record since a merge: the first position stays.
        uniqueBy(
          work.authorships.map((authorship) => ({
            work_id: workIds.get(work.externalId)!,
            researcher_id: researcherIds.get(authorship.author.externalId)!,
            position: authorship.position,
            institution_ids: [
              ...new Set(authorship.institutions.map((i) => institutionIds.get(i.externalId)!)),
            ],
          })),
          (row) => row.researcher_id,
        ),
      )
      if (authorshipRows.length > 0)
        await tx.execute(sql`
          insert into ${authorships} (work_id, researcher_id, position, institution_ids)
          select r.work_id, r.researcher_id, r.position, r.institution_ids
            from json_to_recordset(${jsonRows(authorshipRows)})
                 as r(work_id int, researcher_id int, position smallint, institution_ids int[])`)
      const topicRows = changed.flatMap((work) =>
        work.topics.map((topic) => ({
          work_id: workIds.get(work.externalId)!,
          topic_id: topicIds.get(topic.externalId)!,
          score: topic.score,
        })),
      )
      if (topicRows.length > 0)
        await tx.execute(sql`
          insert into ${workTopics} (work_id, topic_id, score)
          select r.work_id, r.topic_id, r.score
            from json_to_recordset(${jsonRows(topicRows)}) as r(work_id int, topic_id int, score real)`)
      // A work listed twice in one batch counts once as written and once as unchanged.
      // Which works are new is said here: by the time the event is handled (the sweeper may take
      // its interval) a new work may have been changed again, and would pass for an old one.
      const outboxId = await appendOutbox(tx, 'works:changed', {
        workIds: [...inserted, ...updated],
        newWorkIds: inserted,
      })
      return { inserted, updated, unchanged: batch.length - changed.length, outboxId }
    })
  }

  private async upsertInstitutions(tx: Tx, batch: NormalizedWork[]): Promise<Map<string, number>> {
    const all = new Map<string, NormalizedInstitution>()
    for (const work of batch)
      for (const a of work.authorships) for (const i of a.institutions) all.set(i.externalId, i)
    if (all.size === 0) return new Map()
    await tx
      .insert(institutions)
      .values(sortedValues(all))
      .onConflictDoUpdate({
        target: institutions.externalId,
        set: {
          name: sql`excluded.name`,
          ror: sql`coalesce(excluded.ror, ${institutions.ror})`,
          countryCode: sql`coalesce(excluded.country_code, ${institutions.countryCode})`,
          updatedAt: sql`now()`,
        },
        setWhere: sql`(${institutions.name}, ${institutions.ror}, ${institutions.countryCode}) is distinct from
          (excluded.name, coalesce(excluded.ror, ${institutions.ror}), coalesce(excluded.country_code, ${institutions.countryCode}))`,
      })
    return this.idsByKey(tx, institutions, [...all.keys()])
  }

  private async upsertTopics(tx: Tx, batch: NormalizedWork[]): Promise<Map<string, number>> {
    const all = new Map(
      batch.flatMap((work) =>
        work.topics.map((t) => [t.externalId, { externalId: t.externalId, name: t.name }]),
      ),
    )
    if (all.size === 0) return new Map()
    await tx
      .insert(topics)
      .values(sortedValues(all))
      .onConflictDoUpdate({
        target: topics.externalId,
        set: { name: sql`excluded.name`, updatedAt: sql`now()` },
        setWhere: sql`${topics.name} is distinct from excluded.name`,
      })
    return this.idsByKey(tx, topics, [...all.keys()])
  }

  private async upsertResearchers(
    tx: Tx,
    batch: NormalizedWork[],
    institutionIds: Map<string, number>,
  ): Promise<Map<string, number>> {
    const all = new Map<string, AuthorRow>()
    for (const work of batch) {
      for (const { author, institutions: affiliations } of work.authorships) {
        const institutionId = affiliations[0] ? institutionIds.get(affiliations[0].externalId)! : null
        const seen = all.get(author.externalId)
        // Within a batch the newest work decides the name and the current institution.
        if (!seen || (work.year ?? 0) >= (seen.year ?? 0)) {
          all.set(author.externalId, {
            ...author,
            orcid: author.orcid ?? seen?.orcid ?? null,
            institutionId: institutionId ?? seen?.institutionId ?? null,
            year: institutionId ? work.year : (seen?.year ?? null),
          })
        }
      }
    }
    if (all.size === 0) return new Map()
    // An author merged into another record (src/moderation/merges) is that record from then on.
    const merged = await txRows<{ externalId: string; researcherId: number }>(
      tx,
      sql`select external_id as "externalId", researcher_id as "researcherId"
            from ${researcherMerges} where external_id = any(${textArray([...all.keys()])})`,
    )
    for (const { externalId } of merged) all.delete(externalId)
    const ids = all.size === 0 ? new Map<string, number>() : await this.upsertAuthors(tx, all)
    for (const { externalId, researcherId } of merged) ids.set(externalId, researcherId)
    return ids
  }

  private async upsertAuthors(tx: Tx, all: Map<string, AuthorRow>): Promise<Map<string, number>> {
    const rows = sortedValues(all).map((a) => ({
      external_id: a.externalId,
      name: a.name,
      orcid: a.orcid,
      institution_id: a.institutionId,
      institution_year: a.year,
    }))
    // The stored affiliation moves only forward in time, so importing old works never undoes a move.
    const newer = sql`coalesce(excluded.institution_year, -1) >= coalesce(r.institution_year, -1) and excluded.institution_id is not null`
    await tx.execute(sql`
      insert into ${researchers} as r (external_id, name, orcid, institution_id, institution_year)
      select v.external_id, v.name, v.orcid, v.institution_id, v.institution_year
        from json_to_recordset(${jsonRows(rows)})
             as v(external_id text, name text, orcid text, institution_id int, institution_year smallint)
      on conflict (external_id) do update set
        name = case when ${newer} then excluded.name else r.name end,
        orcid = coalesce(r.orcid, excluded.orcid),
        institution_id = case when ${newer} then excluded.institution_id else r.institution_id end,
        institution_year = case when ${newer} then excluded.institution_year else r.institution_year end,
        updated_at = now()
      where (${newer} and (r.name, r.institution_id, r.institution_year)
          is distinct from (excluded.name, excluded.institution_id, excluded.institution_year))
        or (r.orcid is null and excluded.orcid is not null)`)
    return this.idsByKey(tx, researchers, [...all.keys()])
  }

  private async idsByKey(
    tx: Tx,
    table: typeof institutions | typeof topics | typeof researchers,
    keys: string[],
  ): Promise<Map<string, number>> {
    const rows = await txRows<{ id: number; externalId: string }>(
      tx,
      sql`select id, external_id as "externalId" from ${table} where external_id = any(${textArray(keys)})`,
    )
    const ids = new Map<string, number>()
    for (const row of rows) ids.set(row.externalId, row.id)
    return ids
  }
}

const WORK_COLUMNS = sql.raw(
  'external_id text, doi text, title text, abstract text, year smallint, type text, venue text, content_hash text',
)

function workColumns(work: NormalizedWork) {
  return {
    external_id: work.externalId,
    doi: work.doi,
    title: work.title,
    abstract: work.abstract,
    year: work.year,
    type: work.type,
    venue: work.venue,
    content_hash: work.contentHash,
  }
}

function uniqueBy<T>(rows: readonly T[], key: (row: T) => unknown): T[] {
  const seen = new Set<unknown>()
  const out: T[] = []
  for (const row of rows) {
    if (seen.has(key(row))) continue
    seen.add(key(row))
    out.push(row)
  }
  return out
}
