import { and, asc, desc, eq, gt, lt, sql } from 'drizzle-orm'
import { conversationMembers, conversations, messages, researchers } from '../../db/schema/index.js'
import type { Database } from '../infra/db/database.js'
import type { MessagePage, MessageView } from '../realtime/contract.js'

type MessageRow = typeof messages.$inferSelect

const toView = (row: MessageRow): MessageView => ({
  id: row.id,
  conversationId: row.conversationId,
  seq: row.seq,
  senderAccountId: row.senderAccountId,
  clientMessageId: row.clientMessageId,
  body: row.body,
  createdAt: row.createdAt.toISOString(),
})

/** Thrown inside the send transaction to roll back the sequence bump when the message exists already. */
class AlreadyStored extends Error {
  constructor(readonly message_: MessageView) {
    super('already stored')
  }
}

export class ConversationsRepository {
  constructor(private readonly database: Database) {}

  async members(conversationId: number) {
    return this.database.db
      .select({
        accountId: conversationMembers.accountId,
        researcherId: conversationMembers.researcherId,
        lastReadSeq: conversationMembers.lastReadSeq,
      })
      .from(conversationMembers)
      .where(eq(conversationMembers.conversationId, conversationId))
      .orderBy(conversationMembers.accountId)
  }

  async conversationIdsOf(accountId: number): Promise<number[]> {
    const rows = await this.database.db
      .select({ id: conversationMembers.conversationId })
      .from(conversationMembers)
      .where(eq(conversationMembers.accountId, accountId))
    return rows.map((r) => r.id)
  }

  async listFor(accountId: number) {
    const mine = await this.database.db
      .select({
        id: conversations.id,
        lastSeq: conversations.lastSeq,
        lastReadSeq: conversationMembers.lastReadSeq,
      })
      .from(conversationMembers)
      .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
      .where(eq(conversationMembers.accountId, accountId))
      .orderBy(desc(conversations.id))
    if (mine.length === 0) return []
    const everyone = await this.database.db
      .select({
        conversationId: conversationMembers.conversationId,
        accountId: conversationMembers.accountId,
        researcherId: conversationMembers.researcherId,
        name: researchers.name,
      })
      .from(conversationMembers)
      .innerJoin(researchers, eq(researchers.id, conversationMembers.researcherId))
      .where(
        sql`${conversationMembers.conversationId} in (select conversation_id from ${conversationMembers} where account_id = ${accountId})`,
      )
      .orderBy(conversationMembers.accountId)
    return mine.map((c) => ({
      ...c,
      members: everyone
        .filter((m) => m.conversationId === c.id)
        .map(({ accountId: a, researcherId, name }) => ({ accountId: a, researcherId, name })),
    }))
  }

  /**
   * Stores a message under the next sequence number. The conversation row stays locked until commit,
   * so numbers are handed out, and become visible, in order on every node; a clientMessageId seen
   * before returns the stored message instead.
   */
  async send(
    conversationId: number,
    senderAccountId: number,
    clientMessageId: string,
    body: string,
  ): Promise<{ message: MessageView; duplicate: boolean }> {
    try {
      const message = await this.database.db.transaction(async (tx) => {
        const [bumped] = await tx
          .update(conversations)
          .set({ lastSeq: sql`${conversations.lastSeq} + 1` })
          .where(eq(conversations.id, conversationId))
          .returning({ seq: conversations.lastSeq })
        if (!bumped) throw new Error(`conversation ${conversationId} vanished`)
        const [existing] = await tx
          .select()
          .from(messages)
          .where(
            and(
              eq(messages.conversationId, conversationId),
              eq(messages.senderAccountId, senderAccountId),
              eq(messages.clientMessageId, clientMessageId),
            ),
          )
        if (existing) throw new AlreadyStored(toView(existing))
        const [row] = await tx
          .insert(messages)
          .values({ conversationId, seq: bumped.seq, senderAccountId, clientMessageId, body })
          .returning()
        return toView(row!)
      })
      return { message, duplicate: false }
    } catch (error) {
      if (error instanceof AlreadyStored) return { message: error.message_, duplicate: true }
      throw error
    }
  }

  async page(
    conversationId: number,
    query: { afterSeq?: number | undefined; beforeSeq?: number | undefined; limit: number },
  ): Promise<MessagePage> {
    const [conversation] = await this.database.db
      .select({ lastSeq: conversations.lastSeq })
      .from(conversations)
      .where(eq(conversations.id, conversationId))
    const lastSeq = conversation?.lastSeq ?? 0
    if (query.beforeSeq !== undefined) {
      // Scrolling back: the newest `limit` before the cursor, handed out oldest first.
      const rows = await this.database.db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), lt(messages.seq, query.beforeSeq)))
        .orderBy(desc(messages.seq))
        .limit(query.limit + 1)
      const items = rows.slice(0, query.limit).reverse().map(toView)
      return { items, hasMore: rows.length > query.limit, lastSeq }
    }
    const rows = await this.database.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), gt(messages.seq, query.afterSeq ?? 0)))
      .orderBy(asc(messages.seq))
      .limit(query.limit + 1)
    return { items: rows.slice(0, query.limit).map(toView), hasMore: rows.length > query.limit, lastSeq }
  }

  /** Read markers only move forward and never past the last message. */
  async markRead(conversationId: number, accountId: number, seq: number): Promise<number> {
    const [row] = await this.database.db
      .update(conversationMembers)
      .set({
        lastReadSeq: sql`greatest(${conversationMembers.lastReadSeq}, least(${seq}, (select last_seq from ${conversations} where id = ${conversationId})))`,
      })
      .where(
        and(
          eq(conversationMembers.conversationId, conversationId),
          eq(conversationMembers.accountId, accountId),
        ),
      )
      .returning({ lastReadSeq: conversationMembers.lastReadSeq })
    return row?.lastReadSeq ?? 0
  }
}
