import { timingSafeEqual } from 'node:crypto'
import { keyedHash, numericCode } from '../infra/auth/secrets.js'
import type { Principal } from '../infra/auth/tokens.js'
import { type Clock, DAY_MS } from '../infra/clock.js'
import { isUniqueViolation } from '../infra/db/errors.js'
import type { DomainEvents } from '../infra/events.js'
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
} from '../infra/http/errors.js'
import type { Mailer } from '../infra/mailer.js'
import { normalizeOrcid } from '../ingest/openalex.js'
import type { ClaimRow, ClaimStore, ClaimsRepository } from './repository.js'
import { domainCandidates, firstRule } from './rules.js'

export const CODE_TTL_MS = 15 * 60_000
export const CODE_MAX_ATTEMPTS = 5
/**
 * Codes sent per record in 24 hours, over all its claims: each code allows CODE_MAX_ATTEMPTS
 * guesses, and a claimant can release and claim again, so without a bound on the record the
 * per-address rate limits were all that stood between a botnet and the 6-digit code (and the
 * institutional mailbox got a code per request).
 */
export const CODES_PER_RECORD_PER_DAY = 10

export interface ClaimEvidence {
  orcid?: string
  email?: string
  text?: string
}

type Decided = {
  claim: ClaimRow
  mail?: { to: string; code: string; researcherName: string }
  /** The `claim:decided` event stored with the decision. */
  outboxId?: number
}

const DECIDED_STATUSES = new Set(['approved', 'rejected', 'released'])

/** Claims: the rules decide clear cases at once, the rest wait for an email code or an admin. */
export class ClaimsService {
  constructor(
    private readonly repository: ClaimsRepository,
    private readonly mailer: Mailer,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly codeKey: string,
  ) {}

  async create(principal: Principal, researcherId: number, evidence: ClaimEvidence) {
    if (!evidence.orcid && !evidence.email && !evidence.text) {
      throw new BadRequestError('Give at least one piece of evidence: orcid, email or text')
    }
    const orcid = evidence.orcid === undefined ? null : normalizeOrcid(evidence.orcid)
    if (evidence.orcid !== undefined && !orcid) throw new BadRequestError('Not a valid ORCID iD')
    const { accountId } = principal
    const result = await this.guard(() =>
      this.inDecision(async (store) => {
        const record = await store.lockResearcher(researcherId)
        if (!record) throw new NotFoundError('Researcher', researcherId)
        if (record.suspended)
          throw new ConflictError('An operator suspended this record; it cannot be claimed', {
            reason: 'RECORD_SUSPENDED',
          })
        await this.ensureAccountFree(store, accountId, researcherId)
        const live = await store.liveClaims(researcherId)
        if (live.some((c) => c.accountId === accountId))
          throw new ConflictError('You already have a claim on this record')
        const emailMatches =
          evidence.email !== undefined &&
          record.institutionId !== null &&
          (await store.institutionHasDomain(record.institutionId, domainCandidates(evidence.email)))
        const outcome = firstRule({
          contested:
            live.length > 0 ||
            record.claimedByAccountId !== null ||
            (await store.samePersonHeldByOther(researcherId, record.orcid, accountId)),
          orcidGiven: orcid !== null,
          orcidMatches: orcid !== null && orcid === record.orcid,
          emailGiven: evidence.email !== undefined,
          emailDomainMatches: emailMatches,
        })
        const base = {
          researcherId,
          accountId,
          evidenceOrcid: orcid,
          evidenceEmail: evidence.email?.toLowerCase() ?? null,
          evidenceText: evidence.text ?? null,
        }
        if (outcome.kind === 'approve') {
          await store.setClaimant(researcherId, accountId)
          const now = this.clock.now()
          return {
            claim: await store.insertClaim({ ...base, status: 'approved', proof: 'orcid', decidedAt: now }),
          }
        }
        if (outcome.kind === 'review') {
          return {
            claim: await store.insertClaim({ ...base, stage: 'in_review', reviewReason: outcome.reason }),
          }
        }
        const claim = await store.insertClaim({ ...base, stage: 'awaiting_email' })
        const code = await this.newCode(store, claim)
        return { claim, mail: { to: base.evidenceEmail!, code, researcherName: record.name } }
      }),
    )
    await this.afterCommit(result)
    return toView(result.claim)
  }

  /** A fresh code for a claim still waiting for one; the old code stops working. */
  async resendCode(principal: Principal, claimId: number) {
    const result = await this.inDecision(async (store) => {
      const { claim, record } = await this.ownPending(store, principal, claimId)
      if (claim.stage !== 'awaiting_email')
        throw new ConflictError('This claim is not waiting for an email code')
      const code = await this.newCode(store, claim)
      return { claim, mail: { to: claim.evidenceEmail!, code, researcherName: record?.name ?? '' } }
    })
    await this.afterCommit(result)
    return toView(result.claim)
  }

  async confirmEmail(principal: Principal, claimId: number, code: string) {
    // The attempt is counted in its own transaction, so a wrong guess is remembered even though it fails.
    const current = await this.repository.transaction(async (store) => {
      const { claim } = await this.ownPending(store, principal, claimId)
      if (claim.stage !== 'awaiting_email')
        throw new ConflictError('This claim is not waiting for an email code')
      const row = await store.currentCode(claimId)
      if (!row) throw new ConflictError('No code is active; ask for a new one')
      if (row.expiresAt.getTime() <= this.clock.now().getTime())
        throw new BadRequestError('The code expired; ask for a new one')
      if (row.attempts >= CODE_MAX_ATTEMPTS)
        throw new ConflictError('Too many wrong codes; ask for a new one')
      await store.countAttempt(row.id)
      return row
    })
    if (!sameHash(current.codeHash, this.hashCode(claimId, code))) throw new BadRequestError('Wrong code')
    const result = await this.guard(() =>
      this.inDecision(async (store) => {
        const { claim, record } = await this.ownPending(store, principal, claimId)
        if (claim.stage !== 'awaiting_email')
          throw new ConflictError('This claim is not waiting for an email code')
        await store.consumeCode(current.id)
        // A suspension since the claim was filed sends it to a person, as a contest does.
        const contested =
          record?.claimedByAccountId != null ||
          record?.suspended === true ||
          (await store.liveClaims(claim.researcherId)).some((c) => c.accountId !== claim.accountId) ||
          (await store.samePersonHeldByOther(claim.researcherId, record?.orcid ?? null, claim.accountId))
        if (contested) {
          return { claim: await store.updateClaim(claimId, { stage: 'in_review', reviewReason: 'conflict' }) }
        }
        await this.ensureAccountFree(store, claim.accountId, claim.researcherId)
        await store.setClaimant(claim.researcherId, claim.accountId)
        const approved = {
          status: 'approved',
          stage: null,
          proof: 'email',
          decidedAt: this.clock.now(),
        } as const
        return { claim: await store.updateClaim(claimId, approved) }
      }),
    )
    await this.afterCommit(result)
    return toView(result.claim)
  }

  /** The claimant lets go of a pending or approved claim; an approved record becomes unclaimed. */
  async release(principal: Principal, claimId: number) {
    const result = await this.inDecision(async (store) => {
      const { claim } = await this.lockClaim(store, claimId)
      if (claim.accountId !== principal.accountId)
        throw new ForbiddenError('Only the claimant can release a claim')
      if (claim.status !== 'pending' && claim.status !== 'approved')
        throw new ConflictError(`The claim is ${claim.status}`)
      if (claim.status === 'approved') {
        await store.setClaimant(claim.researcherId, null)
        await store.letGo(claim.researcherId, claim.accountId)
      }
      return {
        claim: await store.updateClaim(claimId, {
          status: 'released',
          stage: null,
          decidedAt: this.clock.now(),
        }),
      }
    })
    await this.afterCommit(result)
    return toView(result.claim)
  }

  async decide(admin: Principal, claimId: number, decision: 'approve' | 'reject', note: string | undefined) {
    const result = await this.guard(() =>
      this.inDecision(async (store) => {
        const { claim, record } = await this.lockClaim(store, claimId)
        if (claim.status !== 'pending') throw new ConflictError(`The claim is already ${claim.status}`)
        const decided = {
          stage: null,
          decisionNote: note ?? null,
          decidedByAccountId: admin.accountId,
          decidedAt: this.clock.now(),
        }
        if (decision === 'reject')
          return { claim: await store.updateClaim(claimId, { ...decided, status: 'rejected' }) }
        if (record?.claimedByAccountId != null) {
          throw new ConflictError(
            'The record is claimed by another account; that claim must be released or rejected first',
          )
        }
        await this.ensureAccountFree(store, claim.accountId, claim.researcherId)
        await store.setClaimant(claim.researcherId, claim.accountId)
        // An admin who approved after looking at the evidence has vouched for the record: L3.
        await store.markAdminVerified(claim.researcherId, admin.accountId)
        return { claim: await store.updateClaim(claimId, { ...decided, status: 'approved', proof: 'admin' }) }
      }),
    )
    await this.afterCommit(result)
    return toView(result.claim)
  }

  async get(principal: Principal, claimId: number) {
    const claim = await this.repository.findClaim(claimId)
    if (!claim) throw new NotFoundError('Claim', claimId)
    if (claim.accountId !== principal.accountId && principal.role !== 'admin') throw new ForbiddenError()
    return toView(claim)
  }

  async mine(principal: Principal) {
    return { items: (await this.repository.ofAccount(principal.accountId)).map(toView) }
  }

  async queue(limit: number, offset: number) {
    const { items, total } = await this.repository.reviewQueue(limit, offset)
    return {
      items: items.map((row) => ({
        ...toView(row),
        evidence: { orcid: row.evidenceOrcid, email: row.evidenceEmail, text: row.evidenceText },
        account: { id: row.accountId, email: row.accountEmail, displayName: row.accountDisplayName },
        researcher: { id: row.researcherId, name: row.researcherName, orcid: row.researcherOrcid },
        recordClaimed: row.claimedByAccountId !== null,
        competingClaims: row.competingClaims,
      })),
      page: { limit, offset, total },
    }
  }

  async setInstitutionDomains(institutionId: number, domains: string[]) {
    const unique = [...new Set(domains.map((d) => d.trim().toLowerCase()))].sort()
    if (!(await this.repository.setInstitutionDomains(institutionId, unique))) {
      throw new NotFoundError('Institution', institutionId)
    }
    return { institutionId, domains: unique }
  }

  /** One record per account: a person's other records are merged into it (src/moderation/merges). */
  private async ensureAccountFree(store: ClaimStore, accountId: number, researcherId: number) {
    const held = await store.recordClaimedBy(accountId)
    if (held === researcherId) throw new ConflictError('This record is already yours')
    if (held !== null)
      throw new ConflictError(
        `This account already holds record ${held}: if this record is yours too, merge it into that one ` +
          `(POST /v1/researchers/${held}/merge where it carries the same ORCID; otherwise report it)`,
        { heldResearcherId: held },
      )
  }

  /** Record first, then claim: every path takes the locks in this order, so they cannot deadlock. */
  private async lockClaim(store: ClaimStore, claimId: number) {
    const found = await store.findClaim(claimId)
    if (!found) throw new NotFoundError('Claim', claimId)
    const record = await store.lockResearcher(found.researcherId)
    return { claim: (await store.findClaim(claimId, true))!, record }
  }

  private async ownPending(store: ClaimStore, principal: Principal, claimId: number) {
    const { claim, record } = await this.lockClaim(store, claimId)
    if (claim.accountId !== principal.accountId) throw new ForbiddenError('Only the claimant can do this')
    if (claim.status !== 'pending') throw new ConflictError(`The claim is ${claim.status}`)
    return { claim, record }
  }

  private async newCode(store: ClaimStore, claim: { id: number; researcherId: number }): Promise<string> {
    const issuedAfter = new Date(this.clock.now().getTime() - DAY_MS + CODE_TTL_MS)
    if (
      (await store.codesForRecordExpiringAfter(claim.researcherId, issuedAfter)) >= CODES_PER_RECORD_PER_DAY
    )
      throw new TooManyRequestsError(
        'Too many confirmation codes were sent for this record today; try again tomorrow',
      )
    const claimId = claim.id
    const code = numericCode()
    await store.insertCode(
      claimId,
      this.hashCode(claimId, code),
      new Date(this.clock.now().getTime() + CODE_TTL_MS),
    )
    return code
  }

  private hashCode(claimId: number, code: string): string {
    return keyedHash(this.codeKey, `claim:${claimId}:${code}`)
  }

  /** Unique indexes are the last word on races the row locks cannot see (one account, two records). */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('A concurrent claim got there first; try again')
      throw error
    }
  }

  /** A claim transaction that stores its `claim:decided` event with the decision, never apart from it. */
  private inDecision(work: (store: ClaimStore) => Promise<Decided>): Promise<Decided> {
    return this.repository.transaction(async (store) => {
      const result = await work(store)
      if (DECIDED_STATUSES.has(result.claim.status))
        result.outboxId = await store.recordDecision(this.decisionEvent(result.claim))
      return result
    })
  }

  private decisionEvent(claim: ClaimRow) {
    return {
      claimId: claim.id,
      accountId: claim.accountId,
      researcherId: claim.researcherId,
      status: claim.status as 'approved' | 'rejected' | 'released',
    }
  }

  private async afterCommit({ claim, mail, outboxId }: Decided): Promise<void> {
    if (mail) await this.mailer.sendClaimCode(mail)
    if (outboxId !== undefined) this.events.emit('claim:decided', { ...this.decisionEvent(claim), outboxId })
  }
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export function toView(claim: ClaimRow) {
  return {
    id: claim.id,
    researcherId: claim.researcherId,
    status: claim.status,
    stage: claim.stage,
    proof: claim.proof,
    reviewReason: claim.reviewReason,
    createdAt: claim.createdAt.toISOString(),
    decidedAt: claim.decidedAt?.toISOString() ?? null,
  }
}
