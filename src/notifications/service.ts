import type { DomainEventMap } from '../infra/events.js'
import type {
  NotificationData,
  NotificationPage,
  NotificationType,
  NotificationView,
} from '../realtime/contract.js'
import type { Push } from '../realtime/push.js'
import type { FollowersLookup } from './followers.js'
import type { NotificationsRepository } from './repository.js'

const WORKS_PER_NOTIFICATION = 20

type Payload<E extends keyof DomainEventMap> = DomainEventMap[E][0]

/** Stores what happened for each account, then pushes it; storing first is what makes replay possible. */
export class NotificationsService {
  constructor(
    private readonly repository: NotificationsRepository,
    private readonly push: Push,
    private readonly followers: FollowersLookup,
    private readonly strongSuggestionScore: number,
  ) {}

  async list(accountId: number, after: number, limit: number): Promise<NotificationPage> {
    return this.repository.after(accountId, after, limit)
  }

  async publish<K extends NotificationType>(
    type: K,
    data: NotificationData<K>,
    accountIds: readonly number[],
  ): Promise<NotificationView | null> {
    if (accountIds.length === 0) return null
    const notification = await this.repository.publish(type, data, accountIds)
    this.push.notify(accountIds, notification)
    return notification
  }

  /** Pushes what another capability stored inside its own transaction, once that has committed. */
  deliver(stored: readonly { notification: NotificationView; accountIds: readonly number[] }[]): void {
    for (const { notification, accountIds } of stored) this.push.notify(accountIds, notification)
  }

  async onWorksChanged({ workIds }: Payload<'works:changed'>): Promise<number> {
    let published = 0
    for (const author of await this.repository.newWorksByAuthor(workIds, WORKS_PER_NOTIFICATION)) {
      const followers = (await this.followers.followerAccountIds(author.researcherId)).filter(
        (id) => id !== author.claimedByAccountId,
      )
      const data = {
        researcherId: author.researcherId,
        researcherName: author.researcherName,
        works: author.works,
      }
      if (await this.publish('follow:work', data, followers)) published++
    }
    return published
  }

  async onFollowCreated({ followerAccountId, researcherId }: Payload<'follow:created'>) {
    const owner = await this.repository.claimantOf(researcherId)
    if (owner === null || owner === followerAccountId) return null
    return this.publish('follow:follower', { researcherId, followerAccountId }, [owner])
  }

  async onClaimDecided({ claimId, accountId, researcherId, status }: Payload<'claim:decided'>) {
    return this.publish('claim:decided', { claimId, researcherId, status }, [accountId])
  }

  async onSuggestionCreated({ researcherId, suggestedResearcherId, score }: Payload<'suggestion:created'>) {
    if (score < this.strongSuggestionScore) return null
    const owner = await this.repository.claimantOf(researcherId)
    if (owner === null) return null
    return this.publish('suggestion:new', { researcherId, suggestedResearcherId, score }, [owner])
  }
}
