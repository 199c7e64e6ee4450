import type { DomainEventMap, StoredNotification } from '../infra/events.js'
import type { NotificationPage } from '../realtime/contract.js'
import type { Push } from '../realtime/push.js'
import type { FollowersLookup } from './followers.js'
import type { NotificationsRepository, OutboxRow, PlannedNotification } from './repository.js'

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

  /** Pushes what another capability stored inside its own transaction, once that has committed. */
  deliver(stored: readonly StoredNotification[]): void {
    for (const { notification, accountIds } of stored) this.push.notify(accountIds, notification)
  }

  /** Every new work of a followed author, once per author and event. */
  async onWorksChanged({ workIds, newWorkIds, outboxId }: Payload<'works:changed'>): Promise<number> {
    const planned: PlannedNotification[] = []
    const authors = await this.repository.worksByAuthor(newWorkIds ?? workIds, WORKS_PER_NOTIFICATION, {
      unchangedSinceInsert: newWorkIds === undefined,
    })
    const followersOf = await this.followers.followersOf(authors.map((a) => a.researcherId))
    for (const author of authors) {
      const followers = (followersOf.get(author.researcherId) ?? []).filter(
        (id) => id !== author.claimedByAccountId,
      )
      const data = {
        researcherId: author.researcherId,
        researcherName: author.researcherName,
        works: author.works,
      }
      planned.push({ type: 'follow:work', data, accountIds: followers })
    }
    return this.publishPlanned(planned, outboxId)
  }

  async onFollowCreated({ followerAccountId, researcherId, outboxId }: Payload<'follow:created'>) {
    const owner = await this.repository.claimantOf(researcherId)
    const recipients = owner === null || owner === followerAccountId ? [] : [owner]
    return this.publishPlanned(
      [{ type: 'follow:follower', data: { researcherId, followerAccountId }, accountIds: recipients }],
      outboxId,
    )
  }

  async onClaimDecided({ claimId, accountId, researcherId, status, outboxId }: Payload<'claim:decided'>) {
    return this.publishPlanned(
      [{ type: 'claim:decided', data: { claimId, researcherId, status }, accountIds: [accountId] }],
      outboxId,
    )
  }

  async onSuggestionCreated({ researcherId, suggestedResearcherId, score }: Payload<'suggestion:created'>) {
    if (score < this.strongSuggestionScore) return null
    const owner = await this.repository.claimantOf(researcherId)
    if (owner === null) return null
    return this.publishPlanned(
      [{ type: 'suggestion:new', data: { researcherId, suggestedResearcherId, score }, accountIds: [owner] }],
      undefined,
    )
  }

  strandedEvents(graceSeconds: number, afterId: number, limit: number): Promise<OutboxRow[]> {
    return this.repository.strandedEvents(graceSeconds, afterId, limit)
  }

  /** Replays an event its writer stored but whose process never fanned it out. */
  async handleStranded(row: OutboxRow): Promise<number> {
    const payload = { ...row.payload, outboxId: row.id }
    switch (row.event) {
      case 'works:changed':
        return this.onWorksChanged(payload as Payload<'works:changed'>)
      case 'follow:created':
        return this.onFollowCreated(payload as Payload<'follow:created'>)
      case 'claim:decided':
        return this.onClaimDecided(payload as Payload<'claim:decided'>)
      default:
        throw new Error(`unknown outbox event ${row.event}`)
    }
  }

  /** Stores (and, with an outbox id, consumes the event) in one transaction, then pushes. */
  private async publishPlanned(
    planned: PlannedNotification[],
    outboxId: number | undefined,
  ): Promise<number> {
    const stored = await this.repository.publishAll(planned, outboxId)
    if (!stored) return 0
    this.deliver(stored)
    return stored.length
  }
}
