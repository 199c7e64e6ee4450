import type { Principal } from '../infra/auth/tokens.js'
import type { DomainEvents } from '../infra/events.js'
import { BadRequestError, ForbiddenError, NotFoundError } from '../infra/http/errors.js'
import type { ResearcherSettings, ResearcherSettingsRepository } from './settings-repository.js'

/** Only the account that claimed a record edits it; not even an admin edits on someone's behalf. */
export class ResearcherSettingsService {
  constructor(
    private readonly repository: ResearcherSettingsRepository,
    private readonly events: DomainEvents,
  ) {}

  async get(principal: Principal, researcherId: number): Promise<ResearcherSettings> {
    await this.ensureClaimant(principal, researcherId)
    return (await this.repository.get(researcherId))!
  }

  async update(principal: Principal, researcherId: number, changes: Partial<ResearcherSettings>) {
    await this.ensureClaimant(principal, researcherId)
    const topicIds = changes.emphasisedTopicIds && [...new Set(changes.emphasisedTopicIds)]
    const workIds = changes.excludedWorkIds && [...new Set(changes.excludedWorkIds)]
    if (topicIds) {
      const known = new Set(await this.repository.existingTopicIds(topicIds))
      const unknown = topicIds.filter((id) => !known.has(id))
      if (unknown.length > 0) throw new BadRequestError('Unknown topics', { topicIds: unknown })
    }
    if (workIds) {
      const own = new Set(await this.repository.authoredWorkIds(researcherId, workIds))
      const foreign = workIds.filter((id) => !own.has(id))
      if (foreign.length > 0)
        throw new BadRequestError('Only works of this record can be excluded', { workIds: foreign })
    }
    const written = await this.repository.update(researcherId, principal.accountId, {
      ...(changes.openToCollaborate === undefined ? {} : { openToCollaborate: changes.openToCollaborate }),
      ...(topicIds ? { emphasisedTopicIds: topicIds } : {}),
      ...(workIds ? { excludedWorkIds: workIds } : {}),
    })
    // Released (or taken over) between the check above and the write.
    if (!written) throw new ForbiddenError('Only the claimant edits this record')
    if (workIds) this.events.emit('expertise:changed', { researcherIds: [researcherId] })
    return (await this.repository.get(researcherId))!
  }

  private async ensureClaimant(principal: Principal, researcherId: number): Promise<void> {
    const record = await this.repository.claimant(researcherId)
    if (!record) throw new NotFoundError('Researcher', researcherId)
    if (record.claimedByAccountId !== principal.accountId)
      throw new ForbiddenError('Only the claimant edits this record')
  }
}
