import { sql } from 'drizzle-orm'
import {
  bigserial,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { accounts } from './accounts.js'
import { researchers } from './catalog.js'

export const invitationStatusEnum = pgEnum('invitation_status', [
  'pending',
  'accepted',
  'declined',
  'withdrawn',
  'expired',
])

/** Both sides are claimed records; account ids are kept so a later change of claim cannot reroute one. */
export const invitations = pgTable(
  'invitations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    senderResearcherId: integer('sender_researcher_id')
      .notNull()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    senderAccountId: integer('sender_account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    inviteeResearcherId: integer('invitee_researcher_id')
      .notNull()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    inviteeAccountId: integer('invitee_account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    message: text('message').notNull(),
    /** The suggestion that prompted it; suggestions belong to the matching capability, hence no FK yet. */
    suggestionId: integer('suggestion_id'),
    status: invitationStatusEnum('status').notNull().default('pending'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    conversationId: integer('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // One open invitation per pair, whichever way it goes.
    uniqueIndex('invitations_pending_pair_key')
      .on(
        sql`least(${table.senderResearcherId}, ${table.inviteeResearcherId})`,
        sql`greatest(${table.senderResearcherId}, ${table.inviteeResearcherId})`,
      )
      .where(sql`${table.status} = 'pending'`),
    index('invitations_sender_created_idx').on(table.senderAccountId, table.createdAt),
    index('invitations_invitee_idx').on(table.inviteeAccountId, table.status),
    index('invitations_pending_expiry_idx').on(table.expiresAt).where(sql`${table.status} = 'pending'`),
    check('invitations_not_self', sql`${table.senderResearcherId} <> ${table.inviteeResearcherId}`),
  ],
)

export const blocks = pgTable(
  'blocks',
  {
    blockerResearcherId: integer('blocker_researcher_id')
      .notNull()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    blockedResearcherId: integer('blocked_researcher_id')
      .notNull()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'blocks_pkey', columns: [table.blockerResearcherId, table.blockedResearcherId] }),
    index('blocks_blocked_idx').on(table.blockedResearcherId),
  ],
)

export const conversations = pgTable(
  'conversations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** "low:high" researcher ids: one conversation per pair, reopened rather than duplicated. */
    pairKey: text('pair_key').notNull(),
    /** Messages take last_seq + 1 under this row's lock, so nodes never hand out one number twice. */
    lastSeq: integer('last_seq').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('conversations_pair_key').on(table.pairKey)],
)

export const conversationMembers = pgTable(
  'conversation_members',
  {
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    researcherId: integer('researcher_id')
      .notNull()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    lastReadSeq: integer('last_read_seq').notNull().default(0),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'conversation_members_pkey', columns: [table.conversationId, table.accountId] }),
    index('conversation_members_account_idx').on(table.accountId),
  ],
)

export const messages = pgTable(
  'messages',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    /** Null once the sender deleted their account: the other members keep what they were sent. */
    senderAccountId: integer('sender_account_id').references(() => accounts.id, { onDelete: 'set null' }),
    clientMessageId: text('client_message_id').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('messages_conversation_seq_key').on(table.conversationId, table.seq),
    uniqueIndex('messages_client_id_key').on(
      table.conversationId,
      table.senderAccountId,
      table.clientMessageId,
    ),
  ],
)

/** One row per event; a fan-out to many accounts shares the row (and its id) through recipients. */
export const notifications = pgTable('notifications', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  type: text('type').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const notificationRecipients = pgTable(
  'notification_recipients',
  {
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    notificationId: integer('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ name: 'notification_recipients_pkey', columns: [table.accountId, table.notificationId] }),
    // Deleting a notification (an account deletion takes those only it received) looks its
    // recipients up by notification: without this, each one scans the table.
    index('notification_recipients_notification_idx').on(table.notificationId),
  ],
)

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' })

/** Owned by @socket.io/postgres-adapter: broadcasts over NOTIFY's 8000-byte limit travel through it. */
export const socketIoAttachments = pgTable('socket_io_attachments', {
  id: bigserial('id', { mode: 'number' }).unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).defaultNow(),
  payload: bytea('payload'),
})

/**
 * Domain events written in the same transaction as the change they describe, so a crash between
 * commit and fan-out cannot lose a notification; the row is deleted in the transaction that stores
 * the notifications it produced.
 */
export const domainOutbox = pgTable('domain_outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  event: text('event').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
