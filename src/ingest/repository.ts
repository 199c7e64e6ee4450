import { and, inArray, sql } from 'drizzle-orm'
import { authorships, institutions, researchers, topics, works, workTopics } from '../../db/schema/index.js'
import type { Database, Db } from '../infra/db/database.js'
import { appendOutbox } from '../infra/outbox.js'
import type { NormalizedInstitution, NormalizedWork } from './openalex.js'

export interface BatchOutcome {
  inserted: number[]
  updated: number[]
  unchanged: number
  /** The `works:changed` event stored with the batch; null when nothing changed. */
  outboxId: number | null
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
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
      const existing = await tx
        .select({ id: works.id, externalId: works.externalId, contentHash: works.contentHash })
        .from(works)
        .where(inArray(works.externalId, [...byKey.keys()]))
      const existingByKey = new Map(existing.map((row) => [row.externalId, row]))
      const changed = sortedValues(byKey).filter(
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
        const rows = await tx
          .insert(works)
          .values(fresh.map(workColumns))
          .returning({ id: works.id, externalId: works.externalId })
        for (const row of rows) {
          workIds.set(row.externalId, row.id)
          inserted.push(row.id)
        }
      }
      for (const work of changed) {
        const previous = existingByKey.get(work.externalId)
        if (!previous) continue
        await tx
          .update(works)
          .set({ ...workColumns(work), updatedAt: sql`now()` })
          .where(sql`${works.id} = ${previous.id}`)
        workIds.set(work.externalId, previous.id)
        updated.push(previous.id)
      }
      if (updated.length > 0) {
        await tx.delete(authorships).where(inArray(authorships.workId, updated))
        await tx.delete(workTopics).where(inArray(workTopics.workId, updated))
      }

      const authorshipRows = changed.flatMap((work) =>
        work.authorships.map((authorship) => ({
          workId: workIds.get(work.externalId)!,
          researcherId: researcherIds.get(authorship.author.externalId)!,
          position: authorship.position,
          institutionIds: [...new Set(authorship.institutions.map((i) => institutionIds.get(i.externalId)!))],
        })),
      )
      for (const chunk of chunks(authorshipRows, 5_000)) await tx.insert(authorships).values(chunk)
      const topicRows = changed.flatMap((work) =>
        work.topics.map((topic) => ({
          workId: workIds.get(work.externalId)!,
          topicId: topicIds.get(topic.externalId)!,
          score: topic.score,
        })),
      )
      for (const chunk of chunks(topicRows, 5_000)) await tx.insert(workTopics).values(chunk)
      // A work listed twice in one batch counts once as written and once as unchanged.
      const outboxId = await appendOutbox(tx, 'works:changed', { workIds: [...inserted, ...updated] })
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
    const rows = sortedValues(all).map((a) => ({
      externalId: a.externalId,
      name: a.name,
      orcid: a.orcid,
      institutionId: a.institutionId,
      institutionYear: a.year,
    }))
    // The stored affiliation moves only forward in time, so importing old works never undoes a move.
    const newer = sql`coalesce(excluded.institution_year, -1) >= coalesce(${researchers.institutionYear}, -1) and excluded.institution_id is not null`
    for (const chunk of chunks(rows, 2_000)) {
      await tx
        .insert(researchers)
        .values(chunk)
        .onConflictDoUpdate({
          target: researchers.externalId,
          set: {
            name: sql`case when ${newer} then excluded.name else ${researchers.name} end`,
            orcid: sql`coalesce(${researchers.orcid}, excluded.orcid)`,
            institutionId: sql`case when ${newer} then excluded.institution_id else ${researchers.institutionId} end`,
            institutionYear: sql`case when ${newer} then excluded.institution_year else ${researchers.institutionYear} end`,
            updatedAt: sql`now()`,
          },
          setWhere: sql`(${newer} and (${researchers.name}, ${researchers.institutionId}, ${researchers.institutionYear})
              is distinct from (excluded.name, excluded.institution_id, excluded.institution_year))
            or (${researchers.orcid} is null and excluded.orcid is not null)`,
        })
    }
    return this.idsByKey(tx, researchers, [...all.keys()])
  }

  private async idsByKey(
    tx: Tx,
    table: typeof institutions | typeof topics | typeof researchers,
    keys: string[],
  ): Promise<Map<string, number>> {
    const ids = new Map<string, number>()
    for (const chunk of chunks(keys, 5_000)) {
      const rows = await tx
        .select({ id: table.id, externalId: table.externalId })
        .from(table)
        .where(and(inArray(table.externalId, chunk)))
      for (const row of rows) ids.set(row.externalId, row.id)
    }
    return ids
  }
}

function workColumns(work: NormalizedWork) {
  return {
    externalId: work.externalId,
    doi: work.doi,
    title: work.title,
    abstract: work.abstract,
    year: work.year,
    type: work.type,
    venue: work.venue,
    contentHash: work.contentHash,
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
