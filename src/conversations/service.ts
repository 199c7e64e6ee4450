import { ConflictError, ForbiddenError, NotFoundError } from '../infra/http/errors.js'
import type { BlocksRepository } from '../invitations/blocks-repository.js'
import type { MessagePage, SentMessage } from '../realtime/contract.js'
import type { Push } from '../realtime/push.js'
import type { ConversationsRepository } from './repository.js'

export class ConversationsService {
  constructor(
    private readonly repository: ConversationsRepository,
    private readonly blocks: BlocksRepository,
    private readonly push: Push,
  ) {}

  async list(accountId: number) {
    return { items: await this.repository.listFor(accountId) }
  }

  conversationIdsOf(accountId: number): Promise<number[]> {
    return this.repository.conversationIdsOf(accountId)
  }

  /** Stored (and numbered) before it is acknowledged; pushed to the members' other tabs after. */
  async send(
    accountId: number,
    input: { conversationId: number; clientMessageId: string; body: string },
    fromSocketId?: string,
  ): Promise<SentMessage> {
    const members = await this.membersFor(accountId, input.conversationId)
    const me = members.find((m) => m.accountId === accountId)!
    const others = members.filter((m) => m.accountId !== accountId)
    if (others.length === 0)
      throw new ConflictError('The other member of this conversation deleted their account')
    for (const other of others) {
      if (await this.blocks.eitherWay(me.researcherId, other.researcherId)) {
        throw new ForbiddenError('Messages between these researchers are blocked')
      }
    }
    const sent = await this.repository.send(
      input.conversationId,
      accountId,
      input.clientMessageId,
      input.body,
    )
    // A retry is pushed again: the first push may have died with the node that stored it, and
    // clients drop what they already hold by id.
    this.push.message(
      members.map((m) => m.accountId),
      sent.message,
      fromSocketId,
    )
    return sent
  }

  async history(
    accountId: number,
    conversationId: number,
    query: { afterSeq?: number | undefined; beforeSeq?: number | undefined; limit: number },
  ): Promise<MessagePage> {
    await this.membersFor(accountId, conversationId)
    return this.repository.page(conversationId, query)
  }

  async markRead(accountId: number, conversationId: number, seq: number, fromSocketId?: string) {
    await this.membersFor(accountId, conversationId)
    const lastReadSeq = await this.repository.markRead(conversationId, accountId, seq)
    this.push.conversationEvent(
      conversationId,
      'message:read',
      { conversationId, accountId, seq: lastReadSeq },
      fromSocketId,
    )
    return { lastReadSeq }
  }

  /** Non-members learn nothing, not even that the conversation exists. */
  private async membersFor(accountId: number, conversationId: number) {
    const members = await this.repository.members(conversationId)
    if (!members.some((m) => m.accountId === accountId))
      throw new NotFoundError('Conversation', conversationId)
    return members
  }
}
