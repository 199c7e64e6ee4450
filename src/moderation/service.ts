import type { Principal } from '../infra/auth/tokens.js'
import type { Clock } from '../infra/clock.js'
import type { DomainEvents } from '../infra/events.js'
import { BadRequestError, ConflictError, NotFoundError } from '../infra/http/errors.js'
import type { ModerationRepository, ReportRow, ReportStatus, SuspensionRow } from './repository.js'

/**
 * The operators' queue of reports against records. Reports lower a record's trust at once (a fake
 * profile should not wait for a human); an operator dismisses the unfounded ones, which restores
 * the score, or upholds them, which keeps the penalty on record.
 */
export class ModerationService {
  constructor(
    private readonly repository: ModerationRepository,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  async reports(status: ReportStatus, limit: number, offset: number) {
    const { items, total } = await this.repository.reports(status, limit, offset)
    return { items: items.map(toView), page: { limit, offset, total } }
  }

  /**
   * Takes a record out of matching: suggestions, expert search, claims and invitations leave it
   * out (see researcher_suspensions). Its public page stays, flagged. Suspending again changes the reason.
   */
  async suspend(admin: Principal, researcherId: number, reason: string) {
    const trimmed = reason.trim()
    if (trimmed.length === 0) throw new BadRequestError('The reason is empty')
    const row = await this.repository.suspend(researcherId, trimmed, admin.accountId)
    if (!row) throw new NotFoundError('Researcher', researcherId)
    this.events.emit('record:suspended', { researcherId })
    return suspensionView(row)
  }

  async lift(researcherId: number): Promise<void> {
    if (!(await this.repository.lift(researcherId))) throw new NotFoundError('Researcher', researcherId)
  }

  async suspensions(limit: number, offset: number) {
    const { items, total } = await this.repository.suspensions(limit, offset)
    return { items: items.map(suspensionView), page: { limit, offset, total } }
  }

  async decide(admin: Principal, id: number, decision: 'dismiss' | 'uphold', note: string | undefined) {
    const current = await this.repository.report(id)
    if (!current) throw new NotFoundError('Report', id)
    const decided = await this.repository.decide(id, {
      status: decision === 'dismiss' ? 'dismissed' : 'upheld',
      decidedByAccountId: admin.accountId,
      decidedAt: this.clock.now(),
      note: note?.trim() || null,
    })
    if (!decided)
      throw new ConflictError(`The report is already ${(await this.repository.report(id))?.status}`)
    return toView((await this.repository.report(id))!)
  }
}

function toView(row: ReportRow) {
  return {
    id: row.id,
    researcher: { id: row.researcherId, name: row.researcherName },
    reporterAccountId: row.reporterAccountId,
    reason: row.reason,
    status: row.status,
    decidedByAccountId: row.decidedByAccountId,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionNote: row.decisionNote,
    createdAt: row.createdAt.toISOString(),
  }
}

function suspensionView(row: SuspensionRow) {
  return {
    researcher: { id: row.researcherId, name: row.researcherName },
    reason: row.reason,
    suspendedByAccountId: row.suspendedByAccountId,
    suspendedAt: row.suspendedAt.toISOString(),
  }
}
