import { EventEmitter } from 'node:events'

/** What one part of the service tells the others, in process; the realtime layer fans it out. */
export interface DomainEventMap {
  'works:changed': [{ workIds: number[] }]
  'follow:created': [{ followerAccountId: number; researcherId: number }]
  'claim:decided': [{ claimId: number; accountId: number; researcherId: number; status: string }]
  'suggestion:created': [{ researcherId: number; suggestedResearcherId: number; score: number }]
}

export class DomainEvents extends EventEmitter<DomainEventMap> {}
