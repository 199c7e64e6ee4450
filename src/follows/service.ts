import type { Principal } from '../infra/auth/tokens.js'
import type { DomainEvents } from '../infra/events.js'
import { BadRequestError, NotFoundError } from '../infra/http/errors.js'
import type { FollowsRepository } from './repository.js'

/** Following needs an account, not a claim: anyone signed in can keep an eye on a record. */
export class FollowsService {
  constructor(
    private readonly repository: FollowsRepository,
    private readonly events: DomainEvents,
  ) {}

  async follow(principal: Principal, researcherId: number) {
    const record = await this.repository.researcherExists(researcherId)
    if (!record) throw new NotFoundError('Researcher', researcherId)
    if (record.claimedByAccountId === principal.accountId)
      throw new BadRequestError('You cannot follow your own record')
    const created = await this.repository.follow(principal.accountId, researcherId)
    if (created)
      this.events.emit('follow:created', {
        followerAccountId: principal.accountId,
        researcherId,
        outboxId: created.outboxId,
      })
    return this.state(researcherId, true)
  }

  async unfollow(principal: Principal, researcherId: number) {
    if (!(await this.repository.researcherExists(researcherId)))
      throw new NotFoundError('Researcher', researcherId)
    await this.repository.unfollow(principal.accountId, researcherId)
    return this.state(researcherId, false)
  }

  async followers(researcherId: number, limit: number, offset: number) {
    if (!(await this.repository.researcherExists(researcherId)))
      throw new NotFoundError('Researcher', researcherId)
    const { items, total } = await this.repository.followers(researcherId, limit, offset)
    return {
      items: items.map((row) => ({ ...row, followedAt: row.followedAt.toISOString() })),
      page: { limit, offset, total },
    }
  }

  async following(principal: Principal, limit: number, offset: number) {
    const { items, total } = await this.repository.following(principal.accountId, limit, offset)
    return {
      items: items.map((row) => ({ ...row, followedAt: row.followedAt.toISOString() })),
      page: { limit, offset, total },
    }
  }

  followerCount(researcherId: number): Promise<number> {
    return this.repository.followerCount(researcherId)
  }

  isFollowing(accountId: number, researcherId: number): Promise<boolean> {
    return this.repository.isFollowing(accountId, researcherId)
  }

  private async state(researcherId: number, following: boolean) {
    return { researcherId, following, followers: await this.repository.followerCount(researcherId) }
  }
}
