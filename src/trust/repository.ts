import { and, eq, sql } from 'drizzle-orm'
import {
  accounts,
  authorships,
  claims,
  recordReports,
  researchers,
  researcherVerifications,
} from '../../db/schema/index.js'
import type { Database } from '../infra/db/database.js'
import type { ReportStatus } from '../moderation/repository.js'

export interface FiledReport {
  researcherId: number
  reason: string
  status: ReportStatus
  createdAt: Date
}

export interface RawSignals {
  externalId: string
  orcid: string | null
  claimed: boolean
  adminVerified: boolean
  provenClaim: boolean
  works: number
  verifiedCoauthors: number
  accountCreatedAt: Date | null
  reports: number
}

/** A record is "verified" (L2+) when an admin vouched or its approved claim carried proof. */
const verifiedRecord = (id: unknown) => sql`(
  exists (select 1 from ${researcherVerifications} v where v.researcher_id = ${id})
  or exists (select 1 from ${claims} c where c.researcher_id = ${id} and c.status = 'approved' and c.proof is not null))`

export class TrustRepository {
  constructor(private readonly database: Database) {}

  async signals(researcherId: number): Promise<RawSignals | null> {
    const [row] = await this.database.rows<
      Omit<RawSignals, 'accountCreatedAt'> & { accountCreatedAt: string | Date | null }
    >(sql`
      select r.external_id as "externalId", r.orcid,
        r.claimed_by_account_id is not null as claimed,
        exists (select 1 from ${researcherVerifications} v where v.researcher_id = r.id) as "adminVerified",
        exists (select 1 from ${claims} c where c.researcher_id = r.id and c.status = 'approved' and c.proof is not null) as "provenClaim",
        (select count(*)::int from ${authorships} a where a.researcher_id = r.id) as works,
        (select count(distinct co.researcher_id)::int
           from ${authorships} mine
           join ${authorships} co on co.work_id = mine.work_id and co.researcher_id <> mine.researcher_id
          where mine.researcher_id = r.id and ${verifiedRecord(sql`co.researcher_id`)}) as "verifiedCoauthors",
        (select acc.created_at from ${accounts} acc where acc.id = r.claimed_by_account_id) as "accountCreatedAt",
        (select count(*)::int from ${recordReports} rep
          where rep.researcher_id = r.id and rep.status <> 'dismissed') as reports
      from ${researchers} r where r.id = ${researcherId}`)
    if (!row) return null
    // Raw SQL returns timestamps as strings on one driver and Dates on the other.
    return { ...row, accountCreatedAt: row.accountCreatedAt === null ? null : new Date(row.accountCreatedAt) }
  }

  async exists(researcherId: number): Promise<boolean> {
    const [row] = await this.database.db
      .select({ id: researchers.id })
      .from(researchers)
      .where(eq(researchers.id, researcherId))
    return Boolean(row)
  }

  /** The reports an account filed, oldest first, as their reporter may see them. */
  async filedBy(accountId: number): Promise<FiledReport[]> {
    return this.database.db
      .select({
        researcherId: recordReports.researcherId,
        reason: recordReports.reason,
        status: recordReports.status,
        createdAt: recordReports.createdAt,
      })
      .from(recordReports)
      .where(eq(recordReports.reporterAccountId, accountId))
      .orderBy(recordReports.id)
  }

  /** One report per account and record; a repeat is a no-op. */
  async report(researcherId: number, reporterAccountId: number, reason: string): Promise<void> {
    await this.database.db
      .insert(recordReports)
      .values({ researcherId, reporterAccountId, reason })
      .onConflictDoNothing()
  }

  async setAdminVerified(researcherId: number, adminAccountId: number, verified: boolean): Promise<void> {
    if (verified) {
      await this.database.db
        .insert(researcherVerifications)
        .values({ researcherId, verifiedByAccountId: adminAccountId })
        .onConflictDoNothing()
    } else {
      await this.database.db
        .delete(researcherVerifications)
        .where(and(eq(researcherVerifications.researcherId, researcherId)))
    }
  }
}
