import { and, asc, count, desc, eq } from 'drizzle-orm'
import { recordReports, researcherSuspensions, researchers } from '../../db/schema/index.js'
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

export interface SuspensionRow {
  researcherId: number
  researcherName: string
  reason: string
  suspendedByAccountId: number | null
  suspendedAt: Date
}

const suspensionColumns = {
  researcherId: researcherSuspensions.researcherId,
  researcherName: researchers.name,
  reason: researcherSuspensions.reason,
  suspendedByAccountId: researcherSuspensions.suspendedByAccountId,
  suspendedAt: researcherSuspensions.createdAt,
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

  /**
   * Suspends the record, or changes the reason of a standing suspension (its date stays). Under the
   * record's row lock, which a claim takes too: a claim either sees the suspension or came first.
   * Null when the record does not exist.
   */
  async suspend(researcherId: number, reason: string, adminAccountId: number): Promise<SuspensionRow | null> {
    return this.database.db.transaction(async (tx) => {
      const [record] = await tx
        .select({ id: researchers.id })
        .from(researchers)
        .where(eq(researchers.id, researcherId))
        .for('update')
      if (!record) return null
      await tx
        .insert(researcherSuspensions)
        .values({ researcherId, reason, suspendedByAccountId: adminAccountId })
        .onConflictDoUpdate({
          target: researcherSuspensions.researcherId,
          set: { reason, suspendedByAccountId: adminAccountId },
        })
      const [row] = await tx
        .select(suspensionColumns)
        .from(researcherSuspensions)
        .innerJoin(researchers, eq(researchers.id, researcherSuspensions.researcherId))
        .where(eq(researcherSuspensions.researcherId, researcherId))
      return row ?? null
    })
  }

  /** False when the record does not exist; lifting a suspension that is not there changes nothing. */
  async lift(researcherId: number): Promise<boolean> {
    const [record] = await this.database.db
      .select({ id: researchers.id })
      .from(researchers)
      .where(eq(researchers.id, researcherId))
    if (!record) return false
    await this.database.db
      .delete(researcherSuspensions)
      .where(eq(researcherSuspensions.researcherId, researcherId))
    return true
  }

  async suspensions(limit: number, offset: number) {
    const [items, [total]] = await Promise.all([
      this.database.db
        .select(suspensionColumns)
        .from(researcherSuspensions)
        .innerJoin(researchers, eq(researchers.id, researcherSuspensions.researcherId))
        .orderBy(desc(researcherSuspensions.createdAt), asc(researcherSuspensions.researcherId))
        .limit(limit)
        .offset(offset),
      this.database.db.select({ n: count().mapWith(Number) }).from(researcherSuspensions),
    ])
    return { items: items as SuspensionRow[], total: total?.n ?? 0 }
  }
}
