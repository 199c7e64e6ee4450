import { and, count, eq, gt, gte, isNull } from 'drizzle-orm'
import { accounts, passwordResets } from '../../db/schema/index.js'
import type { Database } from '../infra/db/database.js'
import { type AccountRow, storePassword } from './repository.js'

export class PasswordResetRepository {
  constructor(private readonly database: Database) {}

  /**
   * Stores a new token unless the account has had `perDay` since `dayAgo`, and expires its earlier
   * ones. The account row is locked, so concurrent requests cannot overrun the budget together.
   */
  async issue(
    accountId: number,
    token: { tokenHash: string; expiresAt: Date },
    now: Date,
    budget: { dayAgo: Date; perDay: number },
  ): Promise<boolean> {
    return this.database.db.transaction(async (tx) => {
      await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId)).for('update')
      const [recent] = await tx
        .select({ n: count().mapWith(Number) })
        .from(passwordResets)
        .where(and(eq(passwordResets.accountId, accountId), gte(passwordResets.createdAt, budget.dayAgo)))
      if ((recent?.n ?? 0) >= budget.perDay) return false
      await tx
        .update(passwordResets)
        .set({ expiresAt: now })
        .where(
          and(
            eq(passwordResets.accountId, accountId),
            isNull(passwordResets.usedAt),
            gt(passwordResets.expiresAt, now),
          ),
        )
      await tx.insert(passwordResets).values({ accountId, ...token, createdAt: now })
      return true
    })
  }

  /**
   * Uses a live token and sets the new password in one transaction; the update that marks the token
   * used is the check, so a token works once however many requests race with it. The account,
   * or null when the token is unknown, used or expired.
   */
  async redeem(tokenHash: string, passwordHash: string, now: Date): Promise<AccountRow | null> {
    return this.database.db.transaction(async (tx) => {
      const [row] = await tx
        .update(passwordResets)
        .set({ usedAt: now })
        .where(
          and(
            eq(passwordResets.tokenHash, tokenHash),
            isNull(passwordResets.usedAt),
            gt(passwordResets.expiresAt, now),
          ),
        )
        .returning({ accountId: passwordResets.accountId })
      if (!row) return null
      // The reset row references the account, so the account is there.
      return (await storePassword(tx, row.accountId, passwordHash, now))!
    })
  }
}
