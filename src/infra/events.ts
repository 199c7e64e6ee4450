import { EventEmitter } from 'node:events'

/** What one part of the service tells the others, in process; the realtime layer fans it out. */
export interface DomainEventMap {
  'works:changed': [{ workIds: number[] }]
}

export class DomainEvents extends EventEmitter<DomainEventMap> {}
