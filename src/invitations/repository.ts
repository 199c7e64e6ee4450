import { and, count, desc, eq, getTableColumns, inArray, lte, or, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { blocks, conversations, invitations, researchers } from '../../db/schema/index.js'
import { openConversation, pairKey } from '../conversations/open.js'
import type { Database, Executor, Tx } from '../infra/db/database.js'
import { ConflictError, ForbiddenError, NotFoundError, TooManyRequestsError } from '../infra/http/errors.js'
import { isSuspended } from '../moderation/suspended.js'
import { insertNotification } from '../notifications/repository.js'
import type { InvitationStatus, InvitationView, NotificationView } from '../realtime/contract.js'
import { isUniqueViolation } from '../realtime/db.js'
import type { Party } from './parties-repository.js'

export interface Stored {
  notification: NotificationView
  accountIds: number[]
}

export interface Outcome {
  invitation: InvitationView
  stored: Stored[]
}

export type Action = 'accept' | 'decline' | 'withdraw'

const nextStatus: Record<Action, InvitationStatus> = {
  accept: 'accepted',
  decline: 'declined',
  withdraw: 'withdrawn',
}

const sender = alias(researchers, 'sender')
const invitee = alias(researchers, 'invitee')

/**
 * A pending invitation whose sender or invitee account no longer holds its record (released, or
 * the account deleted and the record claimed again), or whose record an operator suspended: it
 * speaks for someone who is gone, or must not open a conversation, so it lapses like an overdue one.
 */
const lapsed = sql`(
  not exists (select 1 from ${researchers} r where r.id = ${invitations.senderResearcherId}
                 and r.claimed_by_account_id = ${invitations.senderAccountId})
  or not exists (select 1 from ${researchers} r where r.id = ${invitations.inviteeResearcherId}
                 and r.claimed_by_account_id = ${invitations.inviteeAccountId})
  or ${isSuspended(invitations.senderResearcherId)} or ${isSuspended(invitations.inviteeResearcherId)})`

const samePair = (a: number, b: number) =>
  or(
    and(eq(invitations.senderResearcherId, a), eq(invitations.inviteeResearcherId, b)),
    and(eq(invitations.senderResearcherId, b), eq(invitations.inviteeResearcherId, a)),
  )

export class InvitationsRepository {
  constructor(private readonly database: Database) {}

  async create(
    from: Party,
    to: Party,
    input: { message: string; suggestionId: number | null },
    now: Date,
    limits: { ttlSeconds: number; perHour: number },
  ): Promise<Outcome> {
    try {
      return await this.database.db.transaction(async (tx) => {
        // Serialises one sender's invitations, so the hourly count cannot be raced past. NO KEY UPDATE
        // leaves the row's key free for the foreign-key checks of invitations going the other way.
        await tx.execute(sql`select id from ${researchers} where id = ${from.researcherId} for no key update`)
        const hourAgo = new Date(now.getTime() - 3600_000)
        const pair = samePair(from.researcherId, to.researcherId)
        const [state] = await tx
          .select({
            sent: sql<number>`(select count(*)::int from ${invitations}
            where ${invitations.senderAccountId} = ${from.accountId} and ${invitations.createdAt} > ${hourAgo.toISOString()}::timestamptz)`,
            blocked: sql<boolean>`exists (select 1 from ${blocks} where
            (${blocks.blockerResearcherId} = ${from.researcherId} and ${blocks.blockedResearcherId} = ${to.researcherId})
            or (${blocks.blockerResearcherId} = ${to.researcherId} and ${blocks.blockedResearcherId} = ${from.researcherId}))`,
            conversationId: sql<number | null>`(select ${conversations.id} from ${conversations}
            where ${conversations.pairKey} = ${pairKey(from.researcherId, to.researcherId)})`,
            pendingId: sql<number | null>`(select ${invitations.id} from ${invitations}
            where ${pair} and ${invitations.status} = 'pending' limit 1)`,
            pendingOverdue: sql<
              boolean | null
            >`(select ${invitations.expiresAt} <= ${now.toISOString()}::timestamptz or ${lapsed} from ${invitations}
            where ${pair} and ${invitations.status} = 'pending' limit 1)`,
          })
          .from(sql`(select 1) as one`)
        if (!state) throw new Error('invitation checks returned nothing')
        if (state.sent >= limits.perHour) {
          throw new TooManyRequestsError(`At most ${limits.perHour} invitations per hour`, {
            limit: limits.perHour,
          })
        }
        if (state.blocked) throw new ForbiddenError('Invitations between these researchers are blocked')
        if (state.conversationId !== null) {
          throw new ConflictError('You already have a conversation with this researcher', {
            conversationId: state.conversationId,
          })
        }
        let expired: number[] = []
        if (state.pendingId !== null) {
          if (!state.pendingOverdue) {
            throw new ConflictError('An invitation between you is already pending', {
              invitationId: state.pendingId,
            })
          }
          // Overdue (or lapsed) but not swept yet: it expires now, and both sides hear so.
          expired = await this.expire(tx, and(pair, or(lte(invitations.expiresAt, now), lapsed))!, now, 10)
        }
        const expiresAt = new Date(now.getTime() + limits.ttlSeconds * 1000)
        const [row] = await tx
          .insert(invitations)
          .values({
            senderResearcherId: from.researcherId,
            senderAccountId: from.accountId,
            inviteeResearcherId: to.researcherId,
            inviteeAccountId: to.accountId,
            message: input.message,
            suggestionId: input.suggestionId,
            expiresAt,
            createdAt: now,
          })
          .returning({ id: invitations.id })
        const invitation: InvitationView = {
          id: row!.id,
          status: 'pending',
          message: input.message,
          suggestionId: input.suggestionId,
          sender: { researcherId: from.researcherId, accountId: from.accountId, name: from.name },
          invitee: { researcherId: to.researcherId, accountId: to.accountId, name: to.name },
          conversationId: null,
          expiresAt: expiresAt.toISOString(),
          decidedAt: null,
          createdAt: now.toISOString(),
        }
        const stored = [...(await this.notifyUpdated(tx, expired))]
        stored.push({
          notification: await insertNotification(tx, 'invitation:received', { invitation }, [to.accountId]),
          accountIds: [to.accountId],
        })
        return { invitation, stored }
      })
    } catch (error) {
      if (isUniqueViolation(error, 'invitations_pending_pair_key')) {
        throw new ConflictError('An invitation between you is already pending')
      }
      throw error
    }
  }

  /**
   * Moves a pending invitation on. An invitation found past its expiry is marked expired and that is
   * committed, then reported as `expired: true` so the caller can refuse the action.
   */
  async transition(
    id: number,
    actorAccountId: number,
    action: Action,
    now: Date,
  ): Promise<Outcome & { expired: boolean }> {
    return this.database.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ ...getTableColumns(invitations), lapsed: sql<boolean>`${lapsed}` })
        .from(invitations)
        .where(eq(invitations.id, id))
        .for('update')
      if (!row || (row.senderAccountId !== actorAccountId && row.inviteeAccountId !== actorAccountId)) {
        throw new NotFoundError('Invitation', id)
      }
      const actorIsSender = row.senderAccountId === actorAccountId
      if (action === 'withdraw' ? !actorIsSender : actorIsSender) {
        throw new ForbiddenError(
          action === 'withdraw' ? 'Only the sender can withdraw' : `Only the invitee can ${action}`,
        )
      }
      if (row.status !== 'pending') {
        throw new ConflictError(`The invitation is already ${row.status}`, { status: row.status })
      }
      if (row.expiresAt.getTime() <= now.getTime() || row.lapsed) {
        const stored = await this.notifyUpdated(tx, await this.expire(tx, eq(invitations.id, id), now, 1))
        return { invitation: (await this.view(id, tx))!, stored, expired: true }
      }
      let conversationId: number | null = null
      if (action === 'accept') {
        conversationId = await openConversation(
          tx,
          { accountId: row.senderAccountId, researcherId: row.senderResearcherId },
          { accountId: row.inviteeAccountId, researcherId: row.inviteeResearcherId },
        )
      }
      await tx
        .update(invitations)
        .set({ status: nextStatus[action], decidedAt: now, conversationId })
        .where(eq(invitations.id, id))
      const stored = await this.notifyUpdated(tx, [id])
      return { invitation: (await this.view(id, tx))!, stored, expired: false }
    })
  }

  /**
   * Expires the lapsed pending invitations to or from a record: after a release (its holder's
   * invitations, and any an earlier holder left behind) or a suspension.
   */
  lapseFor(researcherId: number, now: Date): Promise<Outcome[]> {
    return this.expireAndTell(
      and(
        or(
          eq(invitations.senderResearcherId, researcherId),
          eq(invitations.inviteeResearcherId, researcherId),
        ),
        lapsed,
      )!,
      now,
      1_000,
    )
  }

  /** Expires up to `batch` overdue invitations; nodes running this at once take disjoint rows. */
  expireDue(now: Date, batch: number): Promise<Outcome[]> {
    return this.expireAndTell(lte(invitations.expiresAt, now), now, batch)
  }

  /** Expires up to `batch` pending invitations matching `where`, and tells both sides of each. */
  private async expireAndTell(where: SQL, now: Date, batch: number): Promise<Outcome[]> {
    return this.database.db.transaction(async (tx) => {
      const stored = await this.notifyUpdated(tx, await this.expire(tx, where, now, batch))
      return stored.map((s) => ({
        invitation: (s.notification.data as { invitation: InvitationView }).invitation,
        stored: [s],
      }))
    })
  }

  async view(id: number, db: Executor = this.database.db): Promise<InvitationView | null> {
    const [row] = await this.select(db, eq(invitations.id, id), 1, 0)
    return row ?? null
  }

  async list(
    accountId: number,
    box: 'received' | 'sent',
    status: InvitationStatus | undefined,
    limit: number,
    offset: number,
  ) {
    const mine =
      box === 'received'
        ? eq(invitations.inviteeAccountId, accountId)
        : eq(invitations.senderAccountId, accountId)
    const where = status ? and(mine, eq(invitations.status, status))! : mine
    const items = await this.select(this.database.db, where, limit, offset)
    const [total] = await this.database.db.select({ n: count() }).from(invitations).where(where)
    return { items, total: total?.n ?? 0 }
  }

  private async expire(tx: Tx, where: SQL, now: Date, batch: number): Promise<number[]> {
    const due = tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(and(eq(invitations.status, 'pending'), where))
      .orderBy(invitations.id)
      .limit(batch)
      .for('update', { skipLocked: true })
    const rows = await tx
      .update(invitations)
      .set({ status: 'expired', decidedAt: now })
      .where(inArray(invitations.id, due))
      .returning({ id: invitations.id })
    return rows.map((r) => r.id).sort((a, b) => a - b)
  }

  /** Tells both sides; must stay the last step of the transaction (see insertNotification). */
  private async notifyUpdated(tx: Tx, ids: readonly number[]): Promise<Stored[]> {
    const stored: Stored[] = []
    for (const id of ids) {
      const invitation = (await this.view(id, tx))!
      const accountIds = [invitation.sender.accountId, invitation.invitee.accountId]
      stored.push({
        notification: await insertNotification(tx, 'invitation:updated', { invitation }, accountIds),
        accountIds,
      })
    }
    return stored
  }

  private async select(db: Executor, where: SQL, limit: number, offset: number): Promise<InvitationView[]> {
    const rows = await db
      .select({
        id: invitations.id,
        status: invitations.status,
        message: invitations.message,
        suggestionId: invitations.suggestionId,
        senderResearcherId: invitations.senderResearcherId,
        senderAccountId: invitations.senderAccountId,
        senderName: sender.name,
        inviteeResearcherId: invitations.inviteeResearcherId,
        inviteeAccountId: invitations.inviteeAccountId,
        inviteeName: invitee.name,
        conversationId: invitations.conversationId,
        expiresAt: invitations.expiresAt,
        decidedAt: invitations.decidedAt,
        createdAt: invitations.createdAt,
      })
      .from(invitations)
      .innerJoin(sender, eq(sender.id, invitations.senderResearcherId))
      .innerJoin(invitee, eq(invitee.id, invitations.inviteeResearcherId))
      .where(where)
      .orderBy(desc(invitations.createdAt), desc(invitations.id))
      .limit(limit)
      .offset(offset)
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      message: r.message,
      suggestionId: r.suggestionId,
      sender: { researcherId: r.senderResearcherId, accountId: r.senderAccountId, name: r.senderName },
      invitee: { researcherId: r.inviteeResearcherId, accountId: r.inviteeAccountId, name: r.inviteeName },
      conversationId: r.conversationId,
      expiresAt: r.expiresAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    }))
  }
}
