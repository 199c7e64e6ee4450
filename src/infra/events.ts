import { EventEmitter } from 'node:events'

/** What one part of the service tells the others, in process; the realtime layer fans it out. */
export interface DomainEventMap {
  'works:changed': [{ workIds: number[] }]
  /** Vectors of these works were stored: researcher profiles and suggestions built on them are stale. */
  'vectors:stored': [{ workIds: number[] }]
  /** A recomputation found a new suggestion above the strong threshold; the realtime layer pushes it. */
  'suggestion:created': [{ researcherId: number; suggestedResearcherId: number; score: number }]
}

export class DomainEvents extends EventEmitter<DomainEventMap> {}
