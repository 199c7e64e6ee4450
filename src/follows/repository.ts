import { and, count, desc, eq, inArray } from 'drizzle-orm'
import { accounts, follows, institutions, researchers } from '../../db/schema/index.js'
import type { Database } from '../infra/db/database.js'
import { appendOutbox } from '../infra/outbox.js'
import type { FollowersLookup } from '../notifications/followers.js'

/** Also answers the realtime fan-out's question: who must hear about this researcher? */
export class FollowsRepository implements FollowersLookup {
  constructor(private readonly database: Database) {}

  async followersOf(researcherIds: readonly number[]): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>()
    if (researcherIds.length === 0) return out
    const rows = await this.database.db
      .select({ researcherId: follows.researcherId, accountId: follows.followerAccountId })
      .from(follows)
      .where(inArray(follows.researcherId, [...researcherIds]))
    for (const row of rows) out.set(row.researcherId, [...(out.get(row.researcherId) ?? []), row.accountId])
    return out
  }

  async researcherExists(id: number): Promise<{ claimedByAccountId: number | null } | null> {
    const [row] = await this.database.db
      .select({ claimedByAccountId: researchers.claimedByAccountId })
      .from(researchers)
      .where(eq(researchers.id, id))
    return row ?? null
  }

  /** The stored `follow:created` event when the row is new, null when it existed: only real changes are announced. */
  async follow(followerAccountId: number, researcherId: number): Promise<{ outboxId: number } | null> {
    return this.database.db.transaction(async (tx) => {
      const rows = await tx
        .insert(follows)
        .values({ followerAccountId, researcherId })
        .onConflictDoNothing()
        .returning({ researcherId: follows.researcherId })
      if (rows.length === 0) return null
      return { outboxId: await appendOutbox(tx, 'follow:created', { followerAccountId, researcherId }) }
    })
  }

  async unfollow(followerAccountId: number, researcherId: number): Promise<void> {
    await this.database.db
      .delete(follows)
      .where(and(eq(follows.followerAccountId, followerAccountId), eq(follows.researcherId, researcherId)))
  }

  async followerCount(researcherId: number): Promise<number> {
    const [row] = await this.database.db
      .select({ n: count().mapWith(Number) })
      .from(follows)
      .where(eq(follows.researcherId, researcherId))
    return row?.n ?? 0
  }

  async isFollowing(followerAccountId: number, researcherId: number): Promise<boolean> {
    const [row] = await this.database.db
      .select({ id: follows.researcherId })
      .from(follows)
      .where(and(eq(follows.followerAccountId, followerAccountId), eq(follows.researcherId, researcherId)))
    return Boolean(row)
  }

  /** Followers as people: a display name and, when they claimed one, their record; never an account id or email. */
  async followers(researcherId: number, limit: number, offset: number) {
    const claimed = this.database.db
      .select({ accountId: researchers.claimedByAccountId, researcherId: researchers.id })
      .from(researchers)
      .as('claimed')
    const items = await this.database.db
      .select({
        displayName: accounts.displayName,
        researcherId: claimed.researcherId,
        followedAt: follows.createdAt,
      })
      .from(follows)
      .innerJoin(accounts, eq(accounts.id, follows.followerAccountId))
      .leftJoin(claimed, eq(claimed.accountId, follows.followerAccountId))
      .where(eq(follows.researcherId, researcherId))
      .orderBy(desc(follows.createdAt), desc(follows.followerAccountId))
      .limit(limit)
      .offset(offset)
    return { items, total: await this.followerCount(researcherId) }
  }

  async following(accountId: number, limit: number, offset: number) {
    const items = await this.database.db
      .select({
        researcherId: researchers.id,
        name: researchers.name,
        institutionName: institutions.name,
        followedAt: follows.createdAt,
      })
      .from(follows)
      .innerJoin(researchers, eq(researchers.id, follows.researcherId))
      .leftJoin(institutions, eq(institutions.id, researchers.institutionId))
      .where(eq(follows.followerAccountId, accountId))
      .orderBy(desc(follows.createdAt), desc(follows.researcherId))
      .limit(limit)
      .offset(offset)
    const [total] = await this.database.db
      .select({ n: count().mapWith(Number) })
      .from(follows)
      .where(eq(follows.followerAccountId, accountId))
    return { items, total: total?.n ?? 0 }
  }
}
