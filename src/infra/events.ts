import { EventEmitter } from 'node:events'
import type { NotificationView } from '../realtime/contract.js'

/** A notification stored inside a writer's transaction, to push once that has committed. */
export interface StoredNotification {
  notification: NotificationView
  accountIds: readonly number[]
}

/** What one part of the service tells the others, in process; the realtime layer fans it out. */
export interface DomainEventMap {
  /**
   * `outboxId`: the row the writer stored with its change (see src/infra/outbox.ts). `newWorkIds`:
   * the inserted ones; absent in events stored before it was recorded.
   */
  'works:changed': [{ workIds: number[]; newWorkIds?: number[]; outboxId?: number }]
  /** Emitted after commit, only when the follow is new (a repeated PUT emits nothing). */
  'follow:created': [{ followerAccountId: number; researcherId: number; outboxId?: number }]
  /** Emitted after commit whenever a claim leaves 'pending' or is released. */
  'claim:decided': [
    {
      claimId: number
      accountId: number
      researcherId: number
      status: 'approved' | 'rejected' | 'released'
      outboxId?: number
    },
  ]
  /**
   * Emitted after commit: the account is gone and the records it claimed let go. `closed` holds the
   * stored `conversation:closed` notifications for the members it leaves behind, to push.
   */
  'account:deleted': [{ accountId: number; releasedResearcherIds: number[]; closed: StoredNotification[] }]
  /** Emitted after commit: an operator took the record out of matching (src/moderation). */
  'record:suspended': [{ researcherId: number }]
  /** Emitted after commit: the works that count as these researchers' expertise changed (settings, merges). */
  'expertise:changed': [{ researcherIds: number[] }]
  /** Vectors of these works were stored: researcher profiles and suggestions built on them are stale. */
  'vectors:stored': [{ workIds: number[] }]
  /** A recomputation found a new suggestion above the strong threshold; the realtime layer pushes it. */
  'suggestion:created': [{ researcherId: number; suggestedResearcherId: number; score: number }]
}

export class DomainEvents extends EventEmitter<DomainEventMap> {}
