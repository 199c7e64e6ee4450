import type { Clock } from '../infra/clock.js'
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../infra/http/errors.js'
import type { NotificationsService } from '../notifications/service.js'
import type { InvitationStatus, InvitationView } from '../realtime/contract.js'
import type { Push } from '../realtime/push.js'
import type { PartiesRepository } from './parties-repository.js'
import type { Action, InvitationsRepository, Outcome } from './repository.js'

export const CLAIM_REQUIRED_MESSAGE = 'Claim this author entity first to unlock direct invitations'

export interface InvitationLimits {
  ttlSeconds: number
  perHour: number
}

export class InvitationsService {
  constructor(
    private readonly repository: InvitationsRepository,
    private readonly parties: PartiesRepository,
    private readonly notifications: NotificationsService,
    private readonly push: Push,
    private readonly clock: Clock,
    private readonly limits: InvitationLimits,
  ) {}

  async send(
    accountId: number,
    input: { inviteeResearcherId: number; message: string; suggestionId?: number | undefined },
  ): Promise<InvitationView> {
    const claimed = await this.parties.claimedBy(accountId)
    if (!claimed) throw new ForbiddenError(CLAIM_REQUIRED_MESSAGE)
    const { suspended: senderSuspended, ...from } = claimed
    if (senderSuspended)
      throw new ForbiddenError('An operator suspended your record; it cannot send invitations')
    if (from.researcherId === input.inviteeResearcherId)
      throw new BadRequestError('You cannot invite yourself')
    const target = await this.parties.researcher(input.inviteeResearcherId)
    if (!target) throw new NotFoundError('Researcher', input.inviteeResearcherId)
    if (target.suspended)
      throw new ConflictError('An operator suspended this record; it cannot be invited', {
        reason: 'INVITEE_SUSPENDED',
      })
    if (target.accountId === null) {
      // A split profile: the person claimed another record, and an invitation reaches them there.
      const claimedResearcherId = await this.parties.claimedRecordOfSamePerson(target.id)
      throw new ConflictError(
        claimedResearcherId === null
          ? 'Only a claimed record can be invited; this one is not claimed yet'
          : `Only a claimed record can be invited; the same person (same ORCID) claimed record ${claimedResearcherId}: invite them there`,
        { reason: 'INVITEE_NOT_CLAIMED', ...(claimedResearcherId === null ? {} : { claimedResearcherId }) },
      )
    }
    const message = input.message.trim()
    if (message.length === 0) throw new BadRequestError('The message is empty')
    const outcome = await this.repository.create(
      from,
      { researcherId: target.id, name: target.name, accountId: target.accountId },
      { message, suggestionId: input.suggestionId ?? null },
      this.clock.now(),
      this.limits,
    )
    return this.delivered(outcome)
  }

  async act(accountId: number, invitationId: number, action: Action): Promise<InvitationView> {
    const outcome = await this.repository.transition(invitationId, accountId, action, this.clock.now())
    this.delivered(outcome)
    if (outcome.expired) throw new ConflictError('The invitation has expired', { status: 'expired' })
    if (outcome.invitation.conversationId !== null && action === 'accept') {
      this.push.joinConversation(
        [outcome.invitation.sender.accountId, outcome.invitation.invitee.accountId],
        outcome.invitation.conversationId,
      )
    }
    return outcome.invitation
  }

  async get(accountId: number, id: number): Promise<InvitationView> {
    const invitation = await this.repository.view(id)
    if (
      !invitation ||
      (invitation.sender.accountId !== accountId && invitation.invitee.accountId !== accountId)
    ) {
      throw new NotFoundError('Invitation', id)
    }
    return invitation
  }

  async list(
    accountId: number,
    query: { box: 'received' | 'sent'; status?: InvitationStatus | undefined; limit: number; offset: number },
  ) {
    const { items, total } = await this.repository.list(
      accountId,
      query.box,
      query.status,
      query.limit,
      query.offset,
    )
    return { items, page: { limit: query.limit, offset: query.offset, total } }
  }

  /**
   * A released or suspended record's pending invitations lapse at once, so both sides see them
   * end. Should this be missed (the process stops first), any action on one, or a new invitation
   * for the pair, finds it lapsed and expires it then.
   */
  lapseFor(researcherId: number): Promise<number> {
    return this.deliverAll(this.repository.lapseFor(researcherId, this.clock.now()))
  }

  private async deliverAll(pending: Promise<Outcome[]>): Promise<number> {
    const outcomes = await pending
    for (const outcome of outcomes) this.delivered(outcome)
    return outcomes.length
  }

  /** Called periodically on every node; each overdue invitation is expired (and announced) once. */
  async expireDue(batch = 500): Promise<number> {
    let total = 0
    for (;;) {
      const expired = await this.deliverAll(this.repository.expireDue(this.clock.now(), batch))
      total += expired
      if (expired < batch) return total
    }
  }

  private delivered(outcome: Outcome): InvitationView {
    this.notifications.deliver(outcome.stored)
    return outcome.invitation
  }
}
