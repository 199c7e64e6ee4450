import type { FollowsService } from '../follows/service.js'
import type { Principal } from '../infra/auth/tokens.js'
import { NotFoundError } from '../infra/http/errors.js'
import type { TrustService } from '../trust/service.js'
import type { ResearchersRepository } from './repository.js'
import type { ResearcherSettingsRepository } from './settings-repository.js'

export interface ProfileParts {
  trust: TrustService
  follows: FollowsService
  settings: ResearcherSettingsRepository
}

export class ResearchersService {
  constructor(
    private readonly repository: ResearchersRepository,
    private readonly parts: ProfileParts,
  ) {}

  /** The public profile; `viewer` says how the caller relates to it, never who claimed it. */
  async profile(id: number, viewer: Principal | null = null) {
    const researcher = await this.repository.findById(id)
    if (!researcher) {
      // An old link to a record an operator merged away says where the person is now.
      const mergedInto = await this.repository.mergedInto(id)
      throw new NotFoundError('Researcher', id, mergedInto === null ? undefined : { mergedInto })
    }
    const [counts, topTopics, followers, trust, emphasisedTopics, following, sameOrcid] = await Promise.all([
      this.repository.counts(id),
      this.repository.topTopics(id, 10),
      this.parts.follows.followerCount(id),
      this.parts.trust.snapshot(id),
      this.parts.settings.emphasisedTopics(id),
      viewer ? this.parts.follows.isFollowing(viewer.accountId, id) : Promise.resolve(false),
      this.repository.sameOrcid(id, researcher.orcid),
    ])
    const { claimedByAccountId, ...visible } = researcher
    return {
      ...visible,
      claimed: claimedByAccountId !== null,
      sameOrcid,
      trust: trust!,
      counts: { ...counts, followers },
      topTopics,
      emphasisedTopics,
      viewer: viewer ? { following, isClaimant: claimedByAccountId === viewer.accountId } : null,
    }
  }

  async works(id: number, limit: number, offset: number) {
    await this.ensureExists(id)
    const { items, total } = await this.repository.worksOf(id, limit, offset)
    return { items, page: { limit, offset, total } }
  }

  async search(query: string, limit: number, offset: number) {
    const { items, total } = await this.repository.searchByName(query.trim(), limit, offset)
    return { items, page: { limit, offset, total } }
  }

  private async ensureExists(id: number): Promise<void> {
    if (!(await this.repository.findById(id))) throw new NotFoundError('Researcher', id)
  }
}
