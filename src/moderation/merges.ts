import type { Principal } from '../infra/auth/tokens.js'
import type { Clock } from '../infra/clock.js'
import type { DomainEvents } from '../infra/events.js'
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../infra/http/errors.js'
import type { DuplicatesRepository, PairEvidence } from './duplicates-repository.js'
import type { MergeRow, Merger, MergesRepository } from './merges-repository.js'

export const LIKELY_PAIRS_TTL_MS = 60_000

const REFUSALS = {
  notSameOrcid: [
    'NOT_SAME_ORCID',
    "Only a record with your record's ORCID merges without an operator: report the record to ask one",
  ],
  claimed: ['DUPLICATE_CLAIMED', 'The duplicate is claimed, or has a claim waiting: settle the claim first'],
  suspended: ['RECORD_SUSPENDED', 'A suspended record is not merged: lift the suspension first'],
  history: [
    'DUPLICATE_HAS_CONVERSATIONS',
    'The duplicate has invitations or conversations of its own, which a merge would reroute',
  ],
} as const

/**
 * Operators fold duplicate author records (one person split over several records by the
 * catalogue) into one: the survivor gets the works, the co-authors and what people attached to
 * the duplicate; the duplicate's external id points at the survivor from then on.
 */
export class MergesService {
  constructor(
    private readonly repository: MergesRepository,
    private readonly duplicatesRepository: DuplicatesRepository,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  private likely: { at: number; pairs: Promise<PairEvidence[]> } | null = null

  merge(admin: Principal, survivorId: number, duplicateId: number) {
    return this.fold(survivorId, duplicateId, { accountId: admin.accountId, as: 'operator' })
  }

  /**
   * A person split over several records folds the others into the one they claimed, without
   * waiting for an operator, where the catalogue links them by ORCID: the rule matching already
   * treats them as one person by (src/matching/same-person.ts).
   */
  mergeOwn(principal: Principal, survivorId: number, duplicateId: number) {
    return this.fold(survivorId, duplicateId, { accountId: principal.accountId, as: 'claimant' })
  }

  private async fold(survivorId: number, duplicateId: number, by: Merger) {
    if (survivorId === duplicateId) throw new BadRequestError('A record cannot be merged into itself')
    const outcome = await this.repository.merge(survivorId, duplicateId, by)
    if (outcome.kind === 'missing') throw new NotFoundError('Researcher', outcome.researcherId)
    if (outcome.kind === 'notHolder')
      throw new ForbiddenError('Only the claimant merges records into this one')
    if (outcome.kind !== 'merged') {
      const [reason, message] = REFUSALS[outcome.kind]
      throw new ConflictError(message, { reason, researcherId: outcome.researcherId })
    }
    this.likely = null
    // The survivor's works changed: its profiles, its co-authors' group profiles and the
    // suggestion lists built on them are rebuilt as after a settings change.
    this.events.emit('expertise:changed', { researcherIds: [survivorId] })
    const { kind: _, ...view } = outcome
    return view
  }

  async duplicates(limit: number, offset: number) {
    const { items, total } = await this.duplicatesRepository.byOrcid(limit, offset)
    return { items, page: { limit, offset, total } }
  }

  /**
   * Pairs an operator should look at where no ORCID links them: names, co-authors, institution.
   * Finding them reads every co-author edge (seconds at 100k researchers), so the list is kept
   * for a minute and paged from memory; a merge drops it.
   */
  async likelyDuplicates(limit: number, offset: number) {
    const now = this.clock.now().getTime()
    if (!this.likely || now - this.likely.at > LIKELY_PAIRS_TTL_MS)
      this.likely = { at: now, pairs: this.duplicatesRepository.plausiblePairs() }
    const pending = this.likely
    const pairs = await pending.pairs.catch((error: unknown) => {
      if (this.likely === pending) this.likely = null
      throw error
    })
    const items = await this.duplicatesRepository.describe(pairs.slice(offset, offset + limit))
    return { items, page: { limit, offset, total: pairs.length } }
  }

  /** An operator's word that the two records are two people: the by-name list leaves them out. */
  markDistinct(admin: Principal, id: number, otherId: number) {
    return this.changeDistinct(id, otherId, () =>
      this.duplicatesRepository.markDistinct(id, otherId, admin.accountId),
    )
  }

  unmarkDistinct(id: number, otherId: number) {
    return this.changeDistinct(id, otherId, () => this.duplicatesRepository.unmarkDistinct(id, otherId))
  }

  /** `change` answers whether both records exist. */
  private async changeDistinct(id: number, otherId: number, change: () => Promise<boolean>) {
    if (id === otherId) throw new BadRequestError('A record is the same person as itself')
    if (!(await change())) throw new NotFoundError('Researcher', `${id} or ${otherId}`)
    this.likely = null
  }

  async merges(limit: number, offset: number) {
    const { items, total } = await this.repository.merges(limit, offset)
    return { items: items.map(mergeView), page: { limit, offset, total } }
  }
}

function mergeView(row: MergeRow) {
  return {
    researcher: { id: row.researcherId, name: row.researcherName },
    mergedResearcherId: row.mergedResearcherId,
    externalId: row.externalId,
    mergedByAccountId: row.mergedByAccountId,
    mergedAt: row.mergedAt.toISOString(),
  }
}
