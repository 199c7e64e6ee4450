import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm'
import {
  accounts,
  authorships,
  domainOutbox,
  notificationRecipients,
  notifications,
  researchers,
  works,
} from '../../db/schema/index.js'
import type { Database, Executor, Tx } from '../infra/db/database.js'
import type { NotificationData, NotificationType, NotificationView } from '../realtime/contract.js'
import { intArray } from '../realtime/db.js'

/**
 * Held from a notification's id allocation until its transaction commits, so ids become visible in
 * id order and "everything after the last id I saw" never skips a row that committed late.
 * Every transaction takes it as its last step, so it never waits on it while holding other locks.
 */
const NOTIFICATION_ORDER_LOCK = 7_253_110_002

export interface NewWorkByAuthor {
  researcherId: number
  researcherName: string
  claimedByAccountId: number | null
  works: { id: number; title: string; year: number | null }[]
}

/**
 * Inserts one notification for many accounts in one round trip; call it last in the caller's
 * transaction. The insert reads from the lock, so the id is drawn only once the lock is held.
 */
export async function insertNotification<K extends NotificationType>(
  tx: Tx,
  type: K,
  data: NotificationData<K>,
  accountIds: readonly number[],
): Promise<NotificationView> {
  const recipients = intArray([...new Set(accountIds)])
  const result = (await tx.execute(sql`
    with ordered as (select pg_advisory_xact_lock(${NOTIFICATION_ORDER_LOCK})),
    inserted as (
      insert into ${notifications} (type, data)
      select ${type}, ${JSON.stringify(data)}::jsonb from ordered
      returning id, created_at),
    delivered as (
      -- An event can outlive an account it names (a deletion committed meanwhile).
      insert into ${notificationRecipients} (account_id, notification_id)
      select r.id, inserted.id from inserted, unnest(${recipients}::int[]) as r(id)
      where exists (select 1 from ${accounts} where ${accounts.id} = r.id))
    select id, created_at as "createdAt" from inserted`)) as unknown as
    | { rows: { id: number; createdAt: Date | string }[] }
    | { id: number; createdAt: Date | string }[]
  const row = (Array.isArray(result) ? result : result.rows)[0]
  if (!row) throw new Error('notification insert returned nothing')
  return { id: row.id, type, createdAt: new Date(row.createdAt).toISOString(), data } as NotificationView
}

/** One notification to store: the same shape `insertNotification` takes. */
export interface PlannedNotification<K extends NotificationType = NotificationType> {
  type: K
  data: NotificationData<K>
  accountIds: readonly number[]
}

export interface OutboxRow {
  id: number
  event: string
  payload: Record<string, unknown>
}

export class NotificationsRepository {
  constructor(private readonly database: Database) {}

  /**
   * Stores the notifications one event produced. With an outbox id, the event's row is deleted in
   * the same transaction, and null comes back when another node or the sweeper already handled it.
   */
  async publishAll(
    planned: readonly PlannedNotification[],
    outboxId: number | undefined,
  ): Promise<{ notification: NotificationView; accountIds: readonly number[] }[] | null> {
    return this.database.db.transaction(async (tx) => {
      if (outboxId !== undefined) {
        const claimed = await tx
          .delete(domainOutbox)
          .where(eq(domainOutbox.id, outboxId))
          .returning({ id: domainOutbox.id })
        if (claimed.length === 0) return null
      }
      const stored = []
      for (const { type, data, accountIds } of planned) {
        if (accountIds.length === 0) continue
        stored.push({ notification: await insertNotification(tx, type, data, accountIds), accountIds })
      }
      return stored
    })
  }

  /** Events older than the grace period that nobody handled: their process died between commit and fan-out. */
  async strandedEvents(graceSeconds: number, afterId: number, limit: number): Promise<OutboxRow[]> {
    return (
      this.database.db
        .select({ id: domainOutbox.id, event: domainOutbox.event, payload: domainOutbox.payload })
        .from(domainOutbox)
        // The database's clock, the one that stamped created_at.
        .where(
          and(
            gt(domainOutbox.id, afterId),
            sql`${domainOutbox.createdAt} < now() - make_interval(secs => ${graceSeconds})`,
          ),
        )
        .orderBy(asc(domainOutbox.id))
        .limit(limit)
    )
  }

  /** Oldest first, one more than asked so the caller can tell whether more remain. */
  async after(accountId: number, after: number, limit: number, db: Executor = this.database.db) {
    const rows = await db
      .select({
        id: notifications.id,
        type: notifications.type,
        data: notifications.data,
        createdAt: notifications.createdAt,
      })
      .from(notificationRecipients)
      .innerJoin(notifications, eq(notifications.id, notificationRecipients.notificationId))
      .where(
        and(
          eq(notificationRecipients.accountId, accountId),
          gt(notificationRecipients.notificationId, after),
        ),
      )
      .orderBy(asc(notificationRecipients.notificationId))
      .limit(limit + 1)
    const items = rows
      .slice(0, limit)
      .map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }) as NotificationView)
    return { items, hasMore: rows.length > limit }
  }

  async claimantOf(researcherId: number): Promise<number | null> {
    const [row] = await this.database.db
      .select({ accountId: researchers.claimedByAccountId })
      .from(researchers)
      .where(eq(researchers.id, researcherId))
    return row?.accountId ?? null
  }

  /**
   * These works grouped by author. `unchangedSinceInsert` keeps only those never updated: how an
   * event stored before it named its new works tells them apart.
   */
  async worksByAuthor(
    workIds: readonly number[],
    perAuthor: number,
    options: { unchangedSinceInsert?: boolean } = {},
  ): Promise<NewWorkByAuthor[]> {
    if (workIds.length === 0) return []
    const rows = await this.database.db
      .select({
        researcherId: researchers.id,
        researcherName: researchers.name,
        claimedByAccountId: researchers.claimedByAccountId,
        workId: works.id,
        title: works.title,
        year: works.year,
      })
      .from(works)
      .innerJoin(authorships, eq(authorships.workId, works.id))
      .innerJoin(researchers, eq(researchers.id, authorships.researcherId))
      .where(
        and(
          inArray(works.id, [...workIds]),
          options.unchangedSinceInsert ? sql`${works.createdAt} = ${works.updatedAt}` : undefined,
        ),
      )
      .orderBy(researchers.id, sql`${works.year} desc nulls last`, works.id)
    const byAuthor = new Map<number, NewWorkByAuthor>()
    for (const row of rows) {
      let entry = byAuthor.get(row.researcherId)
      if (!entry) {
        entry = {
          researcherId: row.researcherId,
          researcherName: row.researcherName,
          claimedByAccountId: row.claimedByAccountId,
          works: [],
        }
        byAuthor.set(row.researcherId, entry)
      }
      if (entry.works.length < perAuthor)
        entry.works.push({ id: row.workId, title: row.title, year: row.year })
    }
    return [...byAuthor.values()]
  }
}
