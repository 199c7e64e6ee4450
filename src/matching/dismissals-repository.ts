import { and, count, desc, eq, sql } from 'drizzle-orm'
import { dismissedSuggestions, institutions, researchers } from '../../db/schema/index.js'
import type { Database } from '../infra/db/database.js'
import { lockAsClaimant } from '../researchers/settings-repository.js'

export interface DismissedCandidate {
  researcherId: number
  name: string
  institutionName: string | null
  dismissedAt: Date
}

export type DismissOutcome = 'dismissed' | 'not-claimant' | 'full'

export class DismissalsRepository {
  constructor(private readonly database: Database) {}

  /**
   * Idempotent. Runs under the record's row lock, as settings edits do: the claimant is checked
   * there (a release meanwhile must not get a dismissal back) and two requests cannot both pass
   * the cap with the last free place.
   */
  async dismiss(
    researcherId: number,
    accountId: number,
    candidateId: number,
    cap: number,
  ): Promise<DismissOutcome> {
    return this.database.db.transaction(async (tx) => {
      if (!(await lockAsClaimant(tx, researcherId, accountId))) return 'not-claimant'
      const [stored] = await tx
        .select({
          n: count(),
          already: sql<boolean>`coalesce(bool_or(${dismissedSuggestions.dismissedResearcherId} = ${candidateId}), false)`,
        })
        .from(dismissedSuggestions)
        .where(eq(dismissedSuggestions.researcherId, researcherId))
      if (stored?.already) return 'dismissed'
      if ((stored?.n ?? 0) >= cap) return 'full'
      await tx
        .insert(dismissedSuggestions)
        .values({ researcherId, dismissedResearcherId: candidateId })
        .onConflictDoNothing()
      return 'dismissed'
    })
  }

  async restore(researcherId: number, candidateId: number): Promise<void> {
    await this.database.db
      .delete(dismissedSuggestions)
      .where(
        and(
          eq(dismissedSuggestions.researcherId, researcherId),
          eq(dismissedSuggestions.dismissedResearcherId, candidateId),
        ),
      )
  }

  async ids(researcherId: number): Promise<number[]> {
    const rows = await this.database.db
      .select({ id: dismissedSuggestions.dismissedResearcherId })
      .from(dismissedSuggestions)
      .where(eq(dismissedSuggestions.researcherId, researcherId))
    return rows.map((r) => r.id)
  }

  async page(
    researcherId: number,
    limit: number,
    offset: number,
  ): Promise<{ items: DismissedCandidate[]; total: number }> {
    const [items, [total]] = await Promise.all([
      this.database.db
        .select({
          researcherId: researchers.id,
          name: researchers.name,
          institutionName: institutions.name,
          dismissedAt: dismissedSuggestions.dismissedAt,
        })
        .from(dismissedSuggestions)
        .innerJoin(researchers, eq(researchers.id, dismissedSuggestions.dismissedResearcherId))
        .leftJoin(institutions, eq(institutions.id, researchers.institutionId))
        .where(eq(dismissedSuggestions.researcherId, researcherId))
        .orderBy(desc(dismissedSuggestions.dismissedAt), desc(dismissedSuggestions.dismissedResearcherId))
        .limit(limit)
        .offset(offset),
      this.database.db
        .select({ n: count() })
        .from(dismissedSuggestions)
        .where(eq(dismissedSuggestions.researcherId, researcherId)),
    ])
    return { items, total: total?.n ?? 0 }
  }
}
