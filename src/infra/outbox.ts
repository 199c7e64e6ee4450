import { domainOutbox } from '../../db/schema/index.js'
import type { Executor } from './db/database.js'
import type { DomainEventMap } from './events.js'

/** Events whose notifications must survive a crash between the writer's commit and the fan-out. */
export type DurableEvent = 'works:changed' | 'follow:created' | 'claim:decided'

type PayloadOf<E extends DurableEvent> = Omit<DomainEventMap[E][0], 'outboxId'>

/**
 * Call inside the writer's transaction: the event commits with the change or not at all. The
 * returned id travels with the in-process event so the fast path and the sweeper handle it once.
 */
export async function appendOutbox<E extends DurableEvent>(
  tx: Executor,
  event: E,
  payload: PayloadOf<E>,
): Promise<number> {
  const [row] = await tx
    .insert(domainOutbox)
    .values({ event, payload: payload as Record<string, unknown> })
    .returning({ id: domainOutbox.id })
  if (!row) throw new Error('outbox insert returned nothing')
  return row.id
}
