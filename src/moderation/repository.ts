import { and, asc, count, eq } from 'drizzle-orm'
import { recordReports, researchers } from '../../db/schema/index.js'
import type { Database } from '../infra/db/database.js'

export type ReportStatus = 'open' | 'dismissed' | 'upheld'

export interface ReportRow {
  id: number
  researcherId: number
  researcherName: string
  reporterAccountId: number | null
  reason: string
  status: ReportStatus
  decidedByAccountId: number | null
  decidedAt: Date | null
  decisionNote: string | null
  createdAt: Date
}

const columns = {
  id: recordReports.id,
  researcherId: recordReports.researcherId,
  researcherName: researchers.name,
  reporterAccountId: recordReports.reporterAccountId,
  reason: recordReports.reason,
  status: recordReports.status,
  decidedByAccountId: recordReports.decidedByAccountId,
  decidedAt: recordReports.decidedAt,
  decisionNote: recordReports.decisionNote,
  createdAt: recordReports.createdAt,
}

export class ModerationRepository {
  constructor(private readonly database: Database) {}

  async reports(status: ReportStatus, limit: number, offset: number) {
    const items = await this.database.db
      .select(columns)
      .from(recordReports)
      .innerJoin(researchers, eq(researchers.id, recordReports.researcherId))
      .where(eq(recordReports.status, status))
      .orderBy(asc(recordReports.createdAt), asc(recordReports.id))
      .limit(limit)
      .offset(offset)
    const [total] = await this.database.db
      .select({ n: count().mapWith(Number) })
      .from(recordReports)
      .where(eq(recordReports.status, status))
    return { items: items as ReportRow[], total: total?.n ?? 0 }
  }

  async report(id: number): Promise<ReportRow | null> {
    const [row] = await this.database.db
      .select(columns)
      .from(recordReports)
      .innerJoin(researchers, eq(researchers.id, recordReports.researcherId))
      .where(eq(recordReports.id, id))
    return (row as ReportRow | undefined) ?? null
  }

  /** Only an open report is decided; false when it was decided meanwhile (the caller reports a conflict). */
  async decide(
    id: number,
    decision: {
      status: 'dismissed' | 'upheld'
      decidedByAccountId: number
      decidedAt: Date
      note: string | null
    },
  ): Promise<boolean> {
    const rows = await this.database.db
      .update(recordReports)
      .set({
        status: decision.status,
        decidedByAccountId: decision.decidedByAccountId,
        decidedAt: decision.decidedAt,
        decisionNote: decision.note,
      })
      .where(and(eq(recordReports.id, id), eq(recordReports.status, 'open')))
      .returning({ id: recordReports.id })
    return rows.length > 0
  }
}
