import { and, eq, inArray, type SQL, sql } from 'drizzle-orm'
import { conversationMembers, conversations } from '../../db/schema/index.js'
import type { Executor, Tx } from '../infra/db/database.js'

export interface Member {
  accountId: number
  researcherId: number
}

export const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`)

/**
 * The pair's conversation, created on first use. A record that changes hands first detaches its
 * conversations (`detachConversations`), so this never lets a new claimant into an old history.
 */
export async function openConversation(tx: Tx, first: Member, second: Member): Promise<number> {
  const [row] = await tx
    .insert(conversations)
    .values({ pairKey: pairKey(first.researcherId, second.researcherId) })
    .onConflictDoUpdate({ target: conversations.pairKey, set: { pairKey: sql`excluded.pair_key` } })
    .returning({ id: conversations.id })
  if (!row) throw new Error('conversation upsert returned nothing')
  await tx
    .insert(conversationMembers)
    .values([first, second].map((m) => ({ conversationId: row.id, ...m })))
    .onConflictDoNothing()
  return row.id
}

/**
 * When `accountId` lets go of a record (`researcherId`; every record it held when the account is
 * deleted), its conversations stop being the records' pair conversation: they stay with the
 * accounts that had them, and whoever claims the record next starts a fresh one. Otherwise the
 * next claimant's invitation would be refused for a conversation they cannot see, or its
 * acceptance would let them read a stranger's messages.
 */
export async function detachConversations(tx: Executor, accountId: number, researcherId?: number) {
  const conditions: SQL[] = [eq(conversationMembers.accountId, accountId)]
  if (researcherId !== undefined) conditions.push(eq(conversationMembers.researcherId, researcherId))
  await tx
    .update(conversations)
    .set({ pairKey: sql`'detached:' || ${conversations.id}` })
    .where(
      inArray(
        conversations.id,
        tx
          .select({ id: conversationMembers.conversationId })
          .from(conversationMembers)
          .where(and(...conditions)),
      ),
    )
}
