import { BadRequestError, ForbiddenError, NotFoundError } from '../infra/http/errors.js'
import type { BlocksRepository } from './blocks-repository.js'
import type { PartiesRepository } from './parties-repository.js'
import { CLAIM_REQUIRED_MESSAGE } from './service.js'

/** A researcher (a claimed record) can block another record: no invitations or messages either way. */
export class BlocksService {
  constructor(
    private readonly repository: BlocksRepository,
    private readonly parties: PartiesRepository,
  ) {}

  async block(accountId: number, researcherId: number) {
    const me = await this.me(accountId)
    if (me === researcherId) throw new BadRequestError('You cannot block yourself')
    if (!(await this.parties.researcher(researcherId))) throw new NotFoundError('Researcher', researcherId)
    await this.repository.block(me, researcherId)
    return { researcherId, blocked: true }
  }

  async unblock(accountId: number, researcherId: number): Promise<void> {
    const me = await this.me(accountId)
    if (!(await this.repository.unblock(me, researcherId)))
      throw new NotFoundError('Block of researcher', researcherId)
  }

  async list(accountId: number) {
    return { items: await this.repository.list(await this.me(accountId)) }
  }

  private async me(accountId: number): Promise<number> {
    const party = await this.parties.claimedBy(accountId)
    if (!party) throw new ForbiddenError(CLAIM_REQUIRED_MESSAGE)
    return party.researcherId
  }
}
