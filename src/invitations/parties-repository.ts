import { eq, or, sql } from 'drizzle-orm'
import { researchers } from '../../db/schema/index.js'
import type { Database } from '../infra/db/database.js'
import { isSuspended } from '../moderation/suspended.js'

const suspended = sql<boolean>`${isSuspended(researchers.id)}`

export interface Party {
  researcherId: number
  name: string
  accountId: number
}

/** Who stands behind an account or a record, as far as invitations care: only claimed records count. */
export class PartiesRepository {
  constructor(private readonly database: Database) {}

  /** The record the account claimed, and whether an operator suspended it. */
  async claimedBy(accountId: number): Promise<(Party & { suspended: boolean }) | null> {
    const [row] = await this.database.db
      .select({ researcherId: researchers.id, name: researchers.name, suspended })
      .from(researchers)
      .where(eq(researchers.claimedByAccountId, accountId))
    return row ? { ...row, accountId } : null
  }

  /** The caller's claimed record and the target record, in one round trip. */
  async pair(accountId: number, researcherId: number) {
    const rows = await this.database.db
      .select({ id: researchers.id, name: researchers.name, accountId: researchers.claimedByAccountId })
      .from(researchers)
      .where(or(eq(researchers.claimedByAccountId, accountId), eq(researchers.id, researcherId)))
    const mine = rows.find((r) => r.accountId === accountId)
    return {
      me: mine ? { researcherId: mine.id, name: mine.name, accountId } : null,
      target: rows.find((r) => r.id === researcherId) ?? null,
    }
  }

  async researcher(
    researcherId: number,
  ): Promise<{ id: number; name: string; accountId: number | null; suspended: boolean } | null> {
    const [row] = await this.database.db
      .select({
        id: researchers.id,
        name: researchers.name,
        accountId: researchers.claimedByAccountId,
        suspended,
      })
      .from(researchers)
      .where(eq(researchers.id, researcherId))
    return row ?? null
  }

  /**
   * The claimed record of the same person as `researcherId` (one that shares its ORCID), if there
   * is one that is not suspended: where someone whose other record was suggested answers.
   */
  async claimedRecordOfSamePerson(researcherId: number): Promise<number | null> {
    const [row] = await this.database.rows<{ id: number }>(sql`
      select s.id from ${researchers} r join ${researchers} s on s.orcid = r.orcid and s.id <> r.id
       where r.id = ${researcherId} and s.claimed_by_account_id is not null and not ${isSuspended(sql`s.id`)}
       limit 1`)
    return row?.id ?? null
  }
}
