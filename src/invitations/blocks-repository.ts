import { and, desc, eq, or } from 'drizzle-orm'
import { blocks, researchers } from '../../db/schema/index.js'
import type { Database, Executor } from '../infra/db/database.js'

export class BlocksRepository {
  constructor(private readonly database: Database) {}

  async block(blocker: number, blocked: number): Promise<void> {
    await this.database.db
      .insert(blocks)
      .values({ blockerResearcherId: blocker, blockedResearcherId: blocked })
      .onConflictDoNothing()
  }

  async unblock(blocker: number, blocked: number): Promise<boolean> {
    const removed = await this.database.db
      .delete(blocks)
      .where(and(eq(blocks.blockerResearcherId, blocker), eq(blocks.blockedResearcherId, blocked)))
      .returning({ id: blocks.blockedResearcherId })
    return removed.length > 0
  }

  async list(blocker: number) {
    const rows = await this.database.db
      .select({ researcherId: researchers.id, name: researchers.name, createdAt: blocks.createdAt })
      .from(blocks)
      .innerJoin(researchers, eq(researchers.id, blocks.blockedResearcherId))
      .where(eq(blocks.blockerResearcherId, blocker))
      .orderBy(desc(blocks.createdAt), researchers.id)
    return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }))
  }

  async eitherWay(a: number, b: number, db: Executor = this.database.db): Promise<boolean> {
    const rows = await db
      .select({ blocker: blocks.blockerResearcherId })
      .from(blocks)
      .where(
        or(
          and(eq(blocks.blockerResearcherId, a), eq(blocks.blockedResearcherId, b)),
          and(eq(blocks.blockerResearcherId, b), eq(blocks.blockedResearcherId, a)),
        ),
      )
      .limit(1)
    return rows.length > 0
  }
}
