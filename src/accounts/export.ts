import type { ClaimsService } from '../claims/service.js'
import type { ConversationsService } from '../conversations/service.js'
import type { FollowsService } from '../follows/service.js'
import type { Principal } from '../infra/auth/tokens.js'
import type { Clock } from '../infra/clock.js'
import type { BlocksService } from '../invitations/blocks-service.js'
import type { InvitationsService } from '../invitations/service.js'
import { DISMISSALS_PER_RECORD } from '../matching/dismissals.js'
import type { DismissalsRepository } from '../matching/dismissals-repository.js'
import type { NotificationsService } from '../notifications/service.js'
import type { ResearcherSettingsRepository } from '../researchers/settings-repository.js'
import type { TrustService } from '../trust/service.js'
import type { AccountsService } from './service.js'

/** Where the parts of an account's data live; each capability answers for its own. */
export interface ExportSources {
  accounts: AccountsService
  claims: ClaimsService
  settings: ResearcherSettingsRepository
  dismissals: DismissalsRepository
  follows: FollowsService
  blocks: BlocksService
  invitations: InvitationsService
  conversations: ConversationsService
  notifications: NotificationsService
  trust: TrustService
}

const PAGE = 100

/**
 * Everything the service keeps about an account, in one document the person can take away (the
 * right of access and to data portability): the same views the API serves, read page by page.
 */
export class AccountExport {
  constructor(
    private readonly from: ExportSources,
    private readonly clock: Clock,
  ) {}

  async of(principal: Principal) {
    const { accountId } = principal
    const account = await this.from.accounts.me(principal)
    const record = account.researcherId
    return {
      exportedAt: this.clock.now().toISOString(),
      account,
      claims: (await this.from.claims.mine(principal)).items,
      record:
        record === null
          ? null
          : {
              researcherId: record,
              settings: (await this.from.settings.get(record))!,
              dismissedSuggestions: (
                await this.from.dismissals.page(record, DISMISSALS_PER_RECORD, 0)
              ).items.map((d) => ({
                researcherId: d.researcherId,
                dismissedAt: d.dismissedAt.toISOString(),
              })),
            },
      reportsFiled: await this.from.trust.reportsFiledBy(principal),
      following: await paged((offset) => this.from.follows.following(principal, PAGE, offset)),
      blocks: record === null ? [] : (await this.from.blocks.list(accountId)).items,
      invitations: {
        received: await paged((offset) =>
          this.from.invitations.list(accountId, { box: 'received', limit: PAGE, offset }),
        ),
        sent: await paged((offset) =>
          this.from.invitations.list(accountId, { box: 'sent', limit: PAGE, offset }),
        ),
      },
      conversations: await Promise.all(
        (await this.from.conversations.list(accountId)).items.map(async (c) => ({
          ...c,
          messages: await afterCursor(
            (afterSeq) => this.from.conversations.history(accountId, c.id, { afterSeq, limit: PAGE }),
            (m) => m.seq,
          ),
        })),
      ),
      notifications: await afterCursor(
        (after) => this.from.notifications.list(accountId, after, PAGE),
        (n) => n.id,
      ),
    }
  }
}

/** Every item of an offset-paginated list. */
async function paged<T>(read: (offset: number) => Promise<{ items: T[]; page: { total: number } }>) {
  const out: T[] = []
  for (;;) {
    const { items, page } = await read(out.length)
    out.push(...items)
    if (items.length === 0 || out.length >= page.total) return out
  }
}

/** Every item of a list read in pages "after the last one seen" (sequence numbers, ids). */
async function afterCursor<T>(
  read: (after: number) => Promise<{ items: T[]; hasMore: boolean }>,
  cursorOf: (item: T) => number,
) {
  const out: T[] = []
  for (let after = 0; ; ) {
    const page = await read(after)
    out.push(...page.items)
    if (!page.hasMore || page.items.length === 0) return out
    after = cursorOf(page.items.at(-1)!)
  }
}
