import { sql } from 'drizzle-orm'
import {
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { accounts } from './accounts.js'
import { institutions, researchers, topics, works } from './catalog.js'

const createdAt = timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
const accountRef = () => accounts.id
const researcherRef = () => researchers.id

/** Opaque refresh tokens, kept only as SHA-256 hashes; each use rotates to a new row. */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    accountId: integer('account_id').notNull().references(accountRef, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Set on logout or rotation; presenting a revoked token again signals theft. */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt,
  },
  (table) => [
    uniqueIndex('refresh_tokens_token_hash_key').on(table.tokenHash),
    index('refresh_tokens_account_id_idx').on(table.accountId),
  ],
)

/**
 * Password reset tokens sent by email, kept only as SHA-256 hashes. A token works once; a new
 * request expires the account's earlier ones. Rows stay for a day's count of requests per account.
 */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    accountId: integer('account_id').notNull().references(accountRef, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt,
  },
  (table) => [
    uniqueIndex('password_resets_token_hash_key').on(table.tokenHash),
    index('password_resets_account_id_created_at_idx').on(table.accountId, table.createdAt),
  ],
)

/**
 * released = the claimant let go (before or after approval). 'stage' tells why a pending claim
 * waits: for the emailed code, or for an admin.
 */
export const claimStatusEnum = pgEnum('claim_status', ['pending', 'approved', 'rejected', 'released'])
export const claimStageEnum = pgEnum('claim_stage', ['awaiting_email', 'in_review'])
/** What proved the claimant's identity when the claim was approved. */
export const claimProofEnum = pgEnum('claim_proof', ['orcid', 'email', 'admin'])

export const claims = pgTable(
  'claims',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    researcherId: integer('researcher_id').notNull().references(researcherRef, { onDelete: 'cascade' }),
    accountId: integer('account_id').notNull().references(accountRef, { onDelete: 'cascade' }),
    status: claimStatusEnum('status').notNull().default('pending'),
    stage: claimStageEnum('stage'),
    proof: claimProofEnum('proof'),
    evidenceOrcid: text('evidence_orcid'),
    evidenceEmail: text('evidence_email'),
    evidenceText: text('evidence_text'),
    /** Why the rules sent it to review, or the admin's note on the decision. */
    reviewReason: text('review_reason'),
    decisionNote: text('decision_note'),
    decidedByAccountId: integer('decided_by_account_id').references(accountRef, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt,
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // One live claim per account and record; at most one approved claim per record.
    uniqueIndex('claims_live_account_researcher_key')
      .on(table.accountId, table.researcherId)
      .where(sql`status in ('pending', 'approved')`),
    uniqueIndex('claims_approved_researcher_key').on(table.researcherId).where(sql`status = 'approved'`),
    index('claims_status_stage_idx').on(table.status, table.stage),
  ],
)

/** A code sent to a claimant's institutional address; stored hashed, expiring, with limited tries. */
export const emailConfirmations = pgTable(
  'email_confirmations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    claimId: integer('claim_id')
      .notNull()
      .references(() => claims.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    attempts: smallint('attempts').notNull().default(0),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
    createdAt,
  },
  (table) => [index('email_confirmations_claim_id_idx').on(table.claimId)],
)

/** Catalogues carry no email domains, so admins record which domains speak for an institution. */
export const institutionDomains = pgTable(
  'institution_domains',
  {
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id, { onDelete: 'cascade' }),
    domain: text('domain').notNull(),
    createdAt,
  },
  (table) => [
    primaryKey({ name: 'institution_domains_pkey', columns: [table.institutionId, table.domain] }),
    index('institution_domains_domain_idx').on(table.domain),
  ],
)

/** An admin vouched for the record's identity: verification level L3. */
export const researcherVerifications = pgTable('researcher_verifications', {
  researcherId: integer('researcher_id').primaryKey().references(researcherRef, { onDelete: 'cascade' }),
  verifiedByAccountId: integer('verified_by_account_id').references(accountRef, { onDelete: 'set null' }),
  createdAt,
})

/**
 * An operator took the record out of matching (a fake or hijacked profile): it is no longer
 * suggested, found as an expert, claimed or invited, and its claimant cannot send invitations.
 * The public record stays readable, flagged.
 */
export const researcherSuspensions = pgTable('researcher_suspensions', {
  researcherId: integer('researcher_id').primaryKey().references(researcherRef, { onDelete: 'cascade' }),
  reason: text('reason').notNull(),
  suspendedByAccountId: integer('suspended_by_account_id').references(accountRef, { onDelete: 'set null' }),
  createdAt,
})

export const follows = pgTable(
  'follows',
  {
    followerAccountId: integer('follower_account_id')
      .notNull()
      .references(accountRef, { onDelete: 'cascade' }),
    researcherId: integer('researcher_id').notNull().references(researcherRef, { onDelete: 'cascade' }),
    createdAt,
  },
  (table) => [
    primaryKey({ name: 'follows_pkey', columns: [table.followerAccountId, table.researcherId] }),
    index('follows_researcher_id_idx').on(table.researcherId, table.createdAt),
  ],
)

/** Topics the claimant wants weighed up in matching and shown on the profile. */
export const emphasisedTopics = pgTable(
  'researcher_emphasised_topics',
  {
    researcherId: integer('researcher_id').notNull().references(researcherRef, { onDelete: 'cascade' }),
    topicId: integer('topic_id')
      .notNull()
      .references(() => topics.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ name: 'researcher_emphasised_topics_pkey', columns: [table.researcherId, table.topicId] }),
  ],
)

/** Works the claimant says do not reflect their expertise (wrong attribution, side projects). */
export const excludedWorks = pgTable(
  'researcher_excluded_works',
  {
    researcherId: integer('researcher_id').notNull().references(researcherRef, { onDelete: 'cascade' }),
    workId: integer('work_id')
      .notNull()
      .references(() => works.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ name: 'researcher_excluded_works_pkey', columns: [table.researcherId, table.workId] }),
  ],
)

/**
 * Reports that a record is fake or misattributed; one per account and record. Open and upheld
 * reports lower trust; a dismissed one no longer does, and its reporter cannot file it again.
 * A report outlives its reporter's account, without the reporter: an operator's decision on it,
 * and the concern while it is open, are about the record, not about who raised them.
 */
export const recordReports = pgTable(
  'record_reports',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    researcherId: integer('researcher_id').notNull().references(researcherRef, { onDelete: 'cascade' }),
    reporterAccountId: integer('reporter_account_id').references(accountRef, { onDelete: 'set null' }),
    reason: text('reason').notNull(),
    status: text('status').$type<'open' | 'dismissed' | 'upheld'>().notNull().default('open'),
    decidedByAccountId: integer('decided_by_account_id').references(accountRef, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    createdAt,
  },
  (table) => [
    uniqueIndex('record_reports_researcher_reporter_key').on(table.researcherId, table.reporterAccountId),
    index('record_reports_queue_idx').on(table.status, table.createdAt),
    check('record_reports_status_check', sql`${table.status} in ('open', 'dismissed', 'upheld')`),
  ],
)
