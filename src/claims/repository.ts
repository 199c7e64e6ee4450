import { and, count, desc, eq, gt, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm'
import {
  accounts,
  claims,
  emailConfirmations,
  institutionDomains,
  institutions,
  researchers,
  researcherVerifications,
} from '../../db/schema/index.js'
import { detachConversations } from '../conversations/open.js'
import type { Database, Executor } from '../infra/db/database.js'
import { appendOutbox } from '../infra/outbox.js'
import { isSuspended } from '../moderation/suspended.js'
import { clearClaimantEdits } from '../researchers/settings-repository.js'

export type ClaimStatus = 'pending' | 'approved' | 'rejected' | 'released'
export type ClaimStage = 'awaiting_email' | 'in_review'
export type ClaimProof = 'orcid' | 'email' | 'admin'

export const claimColumns = {
  id: claims.id,
  researcherId: claims.researcherId,
  accountId: claims.accountId,
  status: claims.status,
  stage: claims.stage,
  proof: claims.proof,
  evidenceOrcid: claims.evidenceOrcid,
  evidenceEmail: claims.evidenceEmail,
  evidenceText: claims.evidenceText,
  reviewReason: claims.reviewReason,
  decisionNote: claims.decisionNote,
  createdAt: claims.createdAt,
  decidedAt: claims.decidedAt,
}
export type ClaimRow = Awaited<ReturnType<ClaimStore['findClaim']>> & {}

/** Everything a claim decision reads and writes, bound to one transaction. */
export class ClaimStore {
  constructor(protected readonly db: Executor) {}

  recordDecision(event: {
    claimId: number
    accountId: number
    researcherId: number
    status: 'approved' | 'rejected' | 'released'
  }): Promise<number> {
    return appendOutbox(this.db, 'claim:decided', event)
  }

  /** Locks the record so concurrent claims on it are decided one after another. */
  async lockResearcher(id: number) {
    const [row] = await this.db
      .select({
        id: researchers.id,
        name: researchers.name,
        orcid: researchers.orcid,
        institutionId: researchers.institutionId,
        claimedByAccountId: researchers.claimedByAccountId,
        suspended: sql<boolean>`${isSuspended(researchers.id)}`,
      })
      .from(researchers)
      .where(eq(researchers.id, id))
      .for('update', { of: researchers })
    return row ?? null
  }

  async recordClaimedBy(accountId: number): Promise<number | null> {
    const [row] = await this.db
      .select({ id: researchers.id })
      .from(researchers)
      .where(eq(researchers.claimedByAccountId, accountId))
    return row?.id ?? null
  }

  /**
   * Whether another account holds a record of the same person: one with this ORCID. An ORCID is
   * public and taken as typed, so without this a second account could claim a split profile's
   * other record, with full proof, while the person holds the first.
   */
  async samePersonHeldByOther(researcherId: number, orcid: string | null, accountId: number) {
    if (orcid === null) return false
    const [row] = await this.db
      .select({ id: researchers.id })
      .from(researchers)
      .where(
        and(
          eq(researchers.orcid, orcid),
          ne(researchers.id, researcherId),
          isNotNull(researchers.claimedByAccountId),
          ne(researchers.claimedByAccountId, accountId),
        ),
      )
      .limit(1)
    return row !== undefined
  }

  async liveClaims(researcherId: number) {
    return this.db
      .select({ id: claims.id, accountId: claims.accountId, status: claims.status })
      .from(claims)
      .where(and(eq(claims.researcherId, researcherId), inArray(claims.status, ['pending', 'approved'])))
  }

  async institutionHasDomain(institutionId: number, domains: string[]): Promise<boolean> {
    if (domains.length === 0) return false
    const [row] = await this.db
      .select({ d: institutionDomains.domain })
      .from(institutionDomains)
      .where(
        and(eq(institutionDomains.institutionId, institutionId), inArray(institutionDomains.domain, domains)),
      )
    return Boolean(row)
  }

  async insertClaim(values: typeof claims.$inferInsert) {
    const [row] = await this.db.insert(claims).values(values).returning(claimColumns)
    return row!
  }

  async findClaim(id: number, lock = false) {
    const query = this.db.select(claimColumns).from(claims).where(eq(claims.id, id))
    const [row] = await (lock ? query.for('update') : query)
    return row ?? null
  }

  async updateClaim(id: number, values: Partial<typeof claims.$inferInsert>) {
    const [row] = await this.db
      .update(claims)
      .set({ ...values, updatedAt: sql`now()` })
      .where(eq(claims.id, id))
      .returning(claimColumns)
    return row!
  }

  async setClaimant(researcherId: number, accountId: number | null): Promise<void> {
    await this.db
      .update(researchers)
      .set({ claimedByAccountId: accountId, updatedAt: sql`now()` })
      .where(eq(researchers.id, researcherId))
  }

  /**
   * A released record starts clean: the next claimant inherits neither the last one's choices nor
   * their conversations.
   */
  async letGo(researcherId: number, accountId: number): Promise<void> {
    await clearClaimantEdits(this.db, researcherId)
    await detachConversations(this.db, accountId, researcherId)
  }

  async markAdminVerified(researcherId: number, adminAccountId: number): Promise<void> {
    await this.db
      .insert(researcherVerifications)
      .values({ researcherId, verifiedByAccountId: adminAccountId })
      .onConflictDoNothing()
  }

  async insertCode(claimId: number, codeHash: string, expiresAt: Date): Promise<void> {
    // Only the newest code counts; older ones are spent so a leaked old code is useless.
    await this.db
      .update(emailConfirmations)
      .set({ consumedAt: sql`now()` })
      .where(and(eq(emailConfirmations.claimId, claimId), isNull(emailConfirmations.consumedAt)))
    await this.db.insert(emailConfirmations).values({ claimId, codeHash, expiresAt })
  }

  /** Codes sent for any claim on the record that expire after `after` (all codes live equally long). */
  async codesForRecordExpiringAfter(researcherId: number, after: Date): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(emailConfirmations)
      .innerJoin(claims, eq(claims.id, emailConfirmations.claimId))
      .where(and(eq(claims.researcherId, researcherId), gt(emailConfirmations.expiresAt, after)))
    return Number(row?.n ?? 0)
  }

  async currentCode(claimId: number) {
    const [row] = await this.db
      .select({
        id: emailConfirmations.id,
        codeHash: emailConfirmations.codeHash,
        expiresAt: emailConfirmations.expiresAt,
        attempts: emailConfirmations.attempts,
      })
      .from(emailConfirmations)
      .where(and(eq(emailConfirmations.claimId, claimId), isNull(emailConfirmations.consumedAt)))
      .orderBy(desc(emailConfirmations.id))
      .limit(1)
    return row ?? null
  }

  async countAttempt(codeId: number): Promise<void> {
    await this.db
      .update(emailConfirmations)
      .set({ attempts: sql`${emailConfirmations.attempts} + 1` })
      .where(eq(emailConfirmations.id, codeId))
  }

  async consumeCode(codeId: number): Promise<void> {
    await this.db
      .update(emailConfirmations)
      .set({ consumedAt: sql`now()` })
      .where(eq(emailConfirmations.id, codeId))
  }
}

export class ClaimsRepository extends ClaimStore {
  constructor(private readonly database: Database) {
    super(database.db)
  }

  transaction<T>(work: (store: ClaimStore) => Promise<T>): Promise<T> {
    return this.database.db.transaction((tx) => work(new ClaimStore(tx)))
  }

  async ofAccount(accountId: number) {
    return this.database.db
      .select(claimColumns)
      .from(claims)
      .where(eq(claims.accountId, accountId))
      .orderBy(desc(claims.id))
  }

  /** The admin queue: pending claims waiting for a person, oldest first, with who and what they claim. */
  async reviewQueue(limit: number, offset: number) {
    const waiting = and(eq(claims.status, 'pending'), eq(claims.stage, 'in_review'))
    const items = await this.database.db
      .select({
        ...claimColumns,
        accountEmail: accounts.email,
        accountDisplayName: accounts.displayName,
        researcherName: researchers.name,
        researcherOrcid: researchers.orcid,
        claimedByAccountId: researchers.claimedByAccountId,
        competingClaims: sql<number>`(select count(*)::int from ${claims} other
          where other.researcher_id = ${claims.researcherId} and other.id <> ${claims.id}
            and other.status in ('pending', 'approved'))`,
      })
      .from(claims)
      .innerJoin(accounts, eq(accounts.id, claims.accountId))
      .innerJoin(researchers, eq(researchers.id, claims.researcherId))
      .where(waiting)
      .orderBy(claims.id)
      .limit(limit)
      .offset(offset)
    const [total] = await this.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(claims)
      .where(waiting)
    return { items, total: total?.n ?? 0 }
  }

  /**
   * Replaces the institution's list; false when the institution does not exist. The institution's
   * row is locked first, so two replacements run one after another instead of both inserting.
   */
  async setInstitutionDomains(institutionId: number, domains: string[]): Promise<boolean> {
    return this.database.db.transaction(async (tx) => {
      const [found] = await tx
        .select({ id: institutions.id })
        .from(institutions)
        .where(eq(institutions.id, institutionId))
        .for('no key update')
      if (!found) return false
      await tx.delete(institutionDomains).where(eq(institutionDomains.institutionId, institutionId))
      if (domains.length > 0)
        await tx.insert(institutionDomains).values(domains.map((domain) => ({ institutionId, domain })))
      return true
    })
  }
}
