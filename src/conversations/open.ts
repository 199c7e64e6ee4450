import { sql } from 'drizzle-orm'
import { conversationMembers, conversations } from '../../db/schema/index.js'
import type { Tx } from '../infra/db/database.js'

export interface Member {
  accountId: number
  researcherId: number
}

export const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`)

/** The pair's conversation, created on first use; members whose claim moved are brought up to date. */
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
