import { and, eq, isNull, ne, sql } from 'drizzle-orm'
import {
  accounts,
  conversationMembers,
  notificationRecipients,
  notifications,
  refreshTokens,
  researchers,
} from '../../db/schema/index.js'
import { detachConversations } from '../conversations/open.js'
import type { Role } from '../infra/auth/tokens.js'
import type { Database, Executor } from '../infra/db/database.js'
import type { StoredNotification } from '../infra/events.js'
import { insertNotification } from '../notifications/repository.js'
import { clearClaimantEdits } from '../researchers/settings-repository.js'

export interface AccountRow {
  id: number
  email: string
  displayName: string
  passwordHash: string
  role: Role
  createdAt: Date
}

const accountColumns = {
  id: accounts.id,
  email: accounts.email,
  displayName: accounts.displayName,
  passwordHash: accounts.passwordHash,
  role: accounts.role,
  createdAt: accounts.createdAt,
}

export class AccountsRepository {
  constructor(private readonly database: Database) {}

  /** Null when the email is taken (the unique index decides, so concurrent registrations are safe). */
  async create(input: {
    email: string
    displayName: string
    passwordHash: string
    role: Role
    createdAt: Date
  }) {
    const [row] = await this.database.db
      .insert(accounts)
      .values(input)
      .onConflictDoNothing({ target: accounts.email })
      .returning(accountColumns)
    return row ?? null
  }

  async findByEmail(email: string): Promise<AccountRow | null> {
    const [row] = await this.database.db
      .select(accountColumns)
      .from(accounts)
      .where(eq(accounts.email, email))
    return row ?? null
  }

  async findById(id: number): Promise<AccountRow | null> {
    const [row] = await this.database.db.select(accountColumns).from(accounts).where(eq(accounts.id, id))
    return row ?? null
  }

  async setDisplayName(id: number, displayName: string, now: Date): Promise<boolean> {
    const rows = await this.database.db
      .update(accounts)
      .set({ displayName, updatedAt: now })
      .where(eq(accounts.id, id))
      .returning({ id: accounts.id })
    return rows.length > 0
  }

  async roleOf(id: number): Promise<Role | null> {
    const [row] = await this.database.db
      .select({ role: accounts.role })
      .from(accounts)
      .where(eq(accounts.id, id))
    return row?.role ?? null
  }

  async claimedResearcherId(accountId: number): Promise<number | null> {
    const [row] = await this.database.db
      .select({ id: researchers.id })
      .from(researchers)
      .where(eq(researchers.claimedByAccountId, accountId))
    return row?.id ?? null
  }

  async setRole(id: number, role: Role): Promise<boolean> {
    const rows = await this.database.db
      .update(accounts)
      .set({ role, updatedAt: sql`now()` })
      .where(eq(accounts.id, id))
      .returning({ id: accounts.id })
    return rows.length > 0
  }

  async storeRefreshToken(accountId: number, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.database.db.insert(refreshTokens).values({ accountId, tokenHash, expiresAt })
  }

  /**
   * Revokes the token and returns it, in one statement, so two concurrent refreshes with the same
   * token cannot both succeed. A token already revoked comes back with `alreadyRevoked`.
   */
  consumeRefreshToken(tokenHash: string, now: Date) {
    return this.consume(this.database.db, tokenHash, now)
  }

  /**
   * Consumes the token and, when it was live and unexpired, stores its successor in the same
   * transaction. The revoked row stays locked until the successor is stored, so a concurrent use of
   * the same token waits, finds it used, and its revocation of every session reaches the successor.
   */
  async rotateRefreshToken(tokenHash: string, now: Date, successor: { tokenHash: string; expiresAt: Date }) {
    return this.database.db.transaction(async (tx) => {
      const row = await this.consume(tx, tokenHash, now)
      if (row && !row.alreadyRevoked && row.expiresAt.getTime() > now.getTime())
        await tx.insert(refreshTokens).values({ accountId: row.accountId, ...successor })
      return row
    })
  }

  private async consume(db: Executor, tokenHash: string, now: Date) {
    const [row] = await db
      .update(refreshTokens)
      .set({ revokedAt: now })
      .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.revokedAt)))
      .returning({ accountId: refreshTokens.accountId, expiresAt: refreshTokens.expiresAt })
    if (row) return { ...row, alreadyRevoked: false }
    const [revoked] = await db
      .select({ accountId: refreshTokens.accountId, expiresAt: refreshTokens.expiresAt })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, tokenHash))
    return revoked ? { ...revoked, alreadyRevoked: true } : null
  }

  /**
   * Replaces the password if `check` accepts the current hash, and ends every session, in one
   * transaction. The account row stays locked while `check` runs, so of two concurrent changes made
   * with the same old password the second sees the new hash and is refused. False when refused.
   */
  async replacePassword(
    accountId: number,
    check: (currentHash: string) => Promise<boolean>,
    newHash: string,
    now: Date,
  ): Promise<boolean> {
    return this.database.db.transaction(async (tx) => {
      if ((await lockedPasswordCheck(tx, accountId, check)) !== 'accepted') return false
      await storePassword(tx, accountId, newHash, now)
      return true
    })
  }

  /**
   * Deletes the account if `check` accepts its password hash, in one transaction under the account's
   * row lock. The record it claimed stays (author records are public) but is let go, with the
   * claimant's choices; everything else of the account's goes with it through the foreign keys,
   * except the messages it sent, which stay with their conversations without a sender. The members
   * it leaves behind get a stored `conversation:closed`, so a tab that was offline learns it too.
   * Null when the account is gone already; otherwise whether it was deleted, which records it let go
   * and the notifications to push.
   */
  async deleteAccount(
    accountId: number,
    check: (currentHash: string) => Promise<boolean>,
  ): Promise<{ deleted: boolean; releasedResearcherIds: number[]; closed: StoredNotification[] } | null> {
    return this.database.db.transaction(async (tx) => {
      const checked = await lockedPasswordCheck(tx, accountId, check)
      if (checked === 'missing') return null
      if (checked === 'refused') return { deleted: false, releasedResearcherIds: [], closed: [] }
      // Read before the cascade takes the memberships: the other members are told.
      const mine = tx
        .select({ id: conversationMembers.conversationId })
        .from(conversationMembers)
        .where(eq(conversationMembers.accountId, accountId))
      const leftBehind = await tx
        .select({
          conversationId: conversationMembers.conversationId,
          accountId: conversationMembers.accountId,
        })
        .from(conversationMembers)
        .where(
          and(
            sql`${conversationMembers.conversationId} in ${mine}`,
            ne(conversationMembers.accountId, accountId),
          ),
        )
        .orderBy(conversationMembers.conversationId)
      const released = await tx
        .update(researchers)
        .set({ claimedByAccountId: null, updatedAt: sql`now()` })
        .where(eq(researchers.claimedByAccountId, accountId))
        .returning({ id: researchers.id })
      for (const { id } of released) await clearClaimantEdits(tx, id)
      await detachConversations(tx, accountId)
      // Notifications only this account received would stay behind without a recipient.
      await tx.delete(notifications).where(
        sql`${notifications.id} in (
          select ${notificationRecipients.notificationId} from ${notificationRecipients}
          where ${notificationRecipients.accountId} = ${accountId})
        and not exists (
          select 1 from ${notificationRecipients} others
          where others.notification_id = ${notifications.id} and others.account_id <> ${accountId})`,
      )
      await tx.delete(accounts).where(eq(accounts.id, accountId))
      const closed: StoredNotification[] = []
      // Last, as insertNotification requires: it takes the notification order lock.
      for (const [conversationId, accountIds] of groupByConversation(leftBehind)) {
        const data = { conversationId, reason: 'member_deleted' as const }
        closed.push({
          notification: await insertNotification(tx, 'conversation:closed', data, accountIds),
          accountIds,
        })
      }
      return { deleted: true, releasedResearcherIds: released.map((r) => r.id), closed }
    })
  }

  async revokeAllRefreshTokens(accountId: number, now: Date): Promise<void> {
    await this.database.db
      .update(refreshTokens)
      .set({ revokedAt: now })
      .where(and(eq(refreshTokens.accountId, accountId), isNull(refreshTokens.revokedAt)))
  }
}

/**
 * Locks the account's row for the rest of the transaction and runs `check` on its password hash
 * under that lock: two requests made with the same password then see each other's changes.
 */
async function lockedPasswordCheck(
  tx: Executor,
  accountId: number,
  check: (currentHash: string) => Promise<boolean>,
): Promise<'missing' | 'refused' | 'accepted'> {
  const [row] = await tx
    .select({ passwordHash: accounts.passwordHash })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .for('update')
  if (!row) return 'missing'
  return (await check(row.passwordHash)) ? 'accepted' : 'refused'
}

/** A new password ends every session of the account. The account as it now is, if it exists. */
export async function storePassword(
  tx: Executor,
  accountId: number,
  passwordHash: string,
  now: Date,
): Promise<AccountRow | undefined> {
  const [account] = await tx
    .update(accounts)
    .set({ passwordHash, updatedAt: now })
    .where(eq(accounts.id, accountId))
    .returning(accountColumns)
  // Deleted, not revoked: another tab's old token must read as unknown, not as a reused one,
  // whose revocation of every session would end the new one too.
  await tx.delete(refreshTokens).where(eq(refreshTokens.accountId, accountId))
  return account
}

function groupByConversation(rows: readonly { conversationId: number; accountId: number }[]) {
  const out = new Map<number, number[]>()
  for (const { conversationId, accountId } of rows)
    out.set(conversationId, [...(out.get(conversationId) ?? []), accountId])
  return out
}
