import type { Principal } from '../infra/auth/tokens.js'
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../infra/http/errors.js'
import type { CandidatesRepository } from './candidates-repository.js'
import type { DismissalsRepository } from './dismissals-repository.js'

/**
 * Enough for anyone who reads their lists (a list shows 20), and a bound on what every list
 * request filters out of the stored ranking.
 */
export const DISMISSALS_PER_RECORD = 1000

export interface DismissalState {
  researcherId: number
  dismissed: boolean
}

/**
 * "Not interested": candidates the claimant never wants suggested again, until they restore them.
 * Like the suggestions themselves, only the record's claimant sees or changes them.
 */
export class SuggestionDismissals {
  constructor(
    private readonly repository: DismissalsRepository,
    private readonly candidates: CandidatesRepository,
    private readonly cap = DISMISSALS_PER_RECORD,
  ) {}

  async dismiss(principal: Principal, researcherId: number, candidateId: number): Promise<DismissalState> {
    await this.ensureClaimant(principal, researcherId)
    if (candidateId === researcherId) throw new BadRequestError('A record is never suggested to itself')
    await this.ensureExists(candidateId)
    const outcome = await this.repository.dismiss(researcherId, principal.accountId, candidateId, this.cap)
    // Released (or taken over) between the check above and the write.
    if (outcome === 'not-claimant') throw new ForbiddenError('Only the claimant manages these suggestions')
    if (outcome === 'full')
      throw new ConflictError(`At most ${this.cap} dismissed suggestions; restore some first`, {
        limit: this.cap,
      })
    return { researcherId: candidateId, dismissed: true }
  }

  async restore(principal: Principal, researcherId: number, candidateId: number): Promise<DismissalState> {
    await this.ensureClaimant(principal, researcherId)
    await this.ensureExists(candidateId)
    await this.repository.restore(researcherId, candidateId)
    return { researcherId: candidateId, dismissed: false }
  }

  async list(principal: Principal, researcherId: number, limit: number, offset: number) {
    await this.ensureClaimant(principal, researcherId)
    const { items, total } = await this.repository.page(researcherId, limit, offset)
    return {
      items: items.map((i) => ({ ...i, dismissedAt: i.dismissedAt.toISOString() })),
      page: { limit, offset, total },
    }
  }

  private async ensureClaimant(principal: Principal, researcherId: number): Promise<void> {
    const claimant = await this.candidates.claimantOf(researcherId)
    if (claimant === undefined) throw new NotFoundError('Researcher', researcherId)
    if (claimant !== principal.accountId)
      throw new ForbiddenError('Only the claimant manages these suggestions')
  }

  private async ensureExists(candidateId: number): Promise<void> {
    if ((await this.candidates.exists([candidateId])).size === 0)
      throw new NotFoundError('Researcher', candidateId)
  }
}
