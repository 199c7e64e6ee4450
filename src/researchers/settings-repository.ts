import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm'
import {
  authorships,
  blocks,
  dismissedSuggestions,
  emphasisedTopics,
  excludedWorks,
  researchers,
  topics,
} from '../../db/schema/index.js'
import type { Database, Executor } from '../infra/db/database.js'

export interface ResearcherSettings {
  openToCollaborate: boolean
  emphasisedTopicIds: number[]
  excludedWorkIds: number[]
}

/** What the claimant controls on their record; matching reads it through the same methods. */
export class ResearcherSettingsRepository {
  constructor(private readonly database: Database) {}

  async claimant(researcherId: number): Promise<{ claimedByAccountId: number | null } | null> {
    const [row] = await this.database.db
      .select({ claimedByAccountId: researchers.claimedByAccountId })
      .from(researchers)
      .where(eq(researchers.id, researcherId))
    return row ?? null
  }

  async get(researcherId: number): Promise<ResearcherSettings | null> {
    const [row] = await this.database.db
      .select({ openToCollaborate: researchers.openToCollaborate })
      .from(researchers)
      .where(eq(researchers.id, researcherId))
    if (!row) return null
    const [emphasisedTopicIds, excludedWorkIds] = await Promise.all([
      this.emphasisedTopicIds(researcherId),
      this.excludedWorkIds(researcherId),
    ])
    return { openToCollaborate: row.openToCollaborate, emphasisedTopicIds, excludedWorkIds }
  }

  async emphasisedTopicIds(researcherId: number): Promise<number[]> {
    const rows = await this.database.db
      .select({ id: emphasisedTopics.topicId })
      .from(emphasisedTopics)
      .where(eq(emphasisedTopics.researcherId, researcherId))
      .orderBy(asc(emphasisedTopics.topicId))
    return rows.map((r) => r.id)
  }

  async emphasisedTopics(researcherId: number): Promise<{ id: number; name: string }[]> {
    return this.database.db
      .select({ id: topics.id, name: topics.name })
      .from(emphasisedTopics)
      .innerJoin(topics, eq(topics.id, emphasisedTopics.topicId))
      .where(eq(emphasisedTopics.researcherId, researcherId))
      .orderBy(asc(topics.name), asc(topics.id))
  }

  /** Works the claimant excluded from their expertise; matching must leave them out. */
  async excludedWorkIds(researcherId: number): Promise<number[]> {
    const rows = await this.database.db
      .select({ id: excludedWorks.workId })
      .from(excludedWorks)
      .where(eq(excludedWorks.researcherId, researcherId))
      .orderBy(asc(excludedWorks.workId))
    return rows.map((r) => r.id)
  }

  async existingTopicIds(ids: number[]): Promise<number[]> {
    if (ids.length === 0) return []
    const rows = await this.database.db.select({ id: topics.id }).from(topics).where(inArray(topics.id, ids))
    return rows.map((r) => r.id)
  }

  async authoredWorkIds(researcherId: number, ids: number[]): Promise<number[]> {
    if (ids.length === 0) return []
    const rows = await this.database.db
      .select({ id: authorships.workId })
      .from(authorships)
      .where(and(eq(authorships.researcherId, researcherId), inArray(authorships.workId, ids)))
    return rows.map((r) => r.id)
  }

  /**
   * All or nothing; lists given replace the stored ones, lists left out stay as they are. Edits of
   * one record run one after another (the record's row is locked first): two at once would each
   * delete the lists the other had not committed yet and then insert the same rows twice. The
   * claimant is checked under that lock: a claim released meanwhile must not get its lists back.
   * False, and nothing written, when `accountId` no longer holds the record.
   */
  async update(
    researcherId: number,
    accountId: number,
    changes: Partial<ResearcherSettings>,
  ): Promise<boolean> {
    return this.database.db.transaction(async (tx) => {
      if (!(await lockAsClaimant(tx, researcherId, accountId))) return false
      if (changes.openToCollaborate !== undefined) {
        await tx
          .update(researchers)
          .set({ openToCollaborate: changes.openToCollaborate, updatedAt: sql`now()` })
          .where(eq(researchers.id, researcherId))
      }
      if (changes.emphasisedTopicIds) {
        await tx.delete(emphasisedTopics).where(eq(emphasisedTopics.researcherId, researcherId))
        if (changes.emphasisedTopicIds.length > 0) {
          await tx
            .insert(emphasisedTopics)
            .values(changes.emphasisedTopicIds.map((topicId) => ({ researcherId, topicId })))
        }
      }
      if (changes.excludedWorkIds) {
        await tx.delete(excludedWorks).where(eq(excludedWorks.researcherId, researcherId))
        if (changes.excludedWorkIds.length > 0) {
          await tx
            .insert(excludedWorks)
            .values(changes.excludedWorkIds.map((workId) => ({ researcherId, workId })))
        }
      }
      return true
    })
  }
}

/**
 * What a claimant chose for their record, gone when the record is let go (a release, or the
 * claimant's account deleted): the next claimant does not inherit the last one's choices.
 */
export async function clearClaimantEdits(db: Executor, researcherId: number): Promise<void> {
  await db.delete(emphasisedTopics).where(eq(emphasisedTopics.researcherId, researcherId))
  await db.delete(excludedWorks).where(eq(excludedWorks.researcherId, researcherId))
  await db.delete(dismissedSuggestions).where(eq(dismissedSuggestions.researcherId, researcherId))
  // Blocks the claimant placed; blocks others placed on the record stay theirs.
  await db.delete(blocks).where(eq(blocks.blockerResearcherId, researcherId))
  await db.update(researchers).set({ openToCollaborate: false }).where(eq(researchers.id, researcherId))
}

/**
 * SQL condition: the authorship aliased `alias` counts towards its researcher's expertise, i.e.
 * the claimant has not excluded the work (a misattribution or a side project). Matching profiles,
 * expert affinity and suggestion evidence all read a researcher's works through it.
 */
export function countsAsExpertise(alias: string): SQL {
  const a = sql.raw(alias)
  return sql`not exists (select 1 from ${excludedWorks} x
    where x.researcher_id = ${a}.researcher_id and x.work_id = ${a}.work_id)`
}

/**
 * Locks the record's row for the rest of the transaction and says whether `accountId` holds it.
 * A claimant's edits take it first, so they run one after another and none lands after a release.
 */
export async function lockAsClaimant(
  tx: Executor,
  researcherId: number,
  accountId: number,
): Promise<boolean> {
  const [locked] = await tx
    .select({ claimedByAccountId: researchers.claimedByAccountId })
    .from(researchers)
    .where(eq(researchers.id, researcherId))
    .for('no key update')
  return locked?.claimedByAccountId === accountId
}
