import type { Principal } from '../infra/auth/tokens.js'
import { type Clock, DAY_MS } from '../infra/clock.js'
import { NotFoundError } from '../infra/http/errors.js'
import { type TrustSnapshot, trustSnapshot, verificationLevel } from './formula.js'
import type { TrustRepository } from './repository.js'

export class TrustService {
  constructor(
    private readonly repository: TrustRepository,
    private readonly clock: Clock,
  ) {}

  /** Null when the record does not exist. */
  async snapshot(researcherId: number): Promise<TrustSnapshot | null> {
    const raw = await this.repository.signals(researcherId)
    if (!raw) return null
    const level = verificationLevel(raw)
    const accountAgeDays = raw.accountCreatedAt
      ? Math.floor((this.clock.now().getTime() - raw.accountCreatedAt.getTime()) / DAY_MS)
      : 0
    return trustSnapshot({
      level,
      claimed: raw.claimed,
      works: raw.works,
      verifiedCoauthors: raw.verifiedCoauthors,
      accountAgeDays,
      reports: raw.reports,
    })
  }

  async report(principal: Principal, researcherId: number, reason: string): Promise<void> {
    await this.ensureExists(researcherId)
    await this.repository.report(researcherId, principal.accountId, reason.trim())
  }

  /** What the caller reported; the operator's identity and note stay with the operators. */
  async reportsFiledBy(principal: Principal) {
    return (await this.repository.filedBy(principal.accountId)).map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
    }))
  }

  async setAdminVerified(admin: Principal, researcherId: number, verified: boolean): Promise<TrustSnapshot> {
    await this.ensureExists(researcherId)
    await this.repository.setAdminVerified(researcherId, admin.accountId, verified)
    return (await this.snapshot(researcherId))!
  }

  private async ensureExists(researcherId: number): Promise<void> {
    if (!(await this.repository.exists(researcherId))) throw new NotFoundError('Researcher', researcherId)
  }
}
