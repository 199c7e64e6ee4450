import type { FastifyBaseLogger } from 'fastify'
import type { DomainEventMap, DomainEvents } from '../infra/events.js'
import type { NotificationsService } from '../notifications/service.js'

/**
 * Turns domain events into stored, pushed notifications. Listeners run after the emitter's commit;
 * a failure is logged and never reaches the emitter (or crashes the process).
 */
export function subscribeFanout(
  events: DomainEvents,
  notifications: NotificationsService,
  log: FastifyBaseLogger,
): () => void {
  type Notified = Exclude<
    keyof DomainEventMap,
    'vectors:stored' | 'expertise:changed' | 'account:deleted' | 'record:suspended'
  >
  // vectors:stored and expertise:changed concern matching's own profiles and caches,
  // account:deleted the account's own connections and record:suspended its pending invitations
  // (see app.ts); nobody is told about them as such.
  const listeners: { [E in Notified]: (...args: DomainEventMap[E]) => Promise<unknown> } = {
    'works:changed': (payload) => notifications.onWorksChanged(payload),
    'follow:created': (payload) => notifications.onFollowCreated(payload),
    'claim:decided': (payload) => notifications.onClaimDecided(payload),
    'suggestion:created': (payload) => notifications.onSuggestionCreated(payload),
  }
  const attached = (Object.keys(listeners) as Notified[]).map((event) => {
    const run = listeners[event] as (payload: unknown) => Promise<unknown>
    const listener = (payload: unknown) => {
      run(payload).catch((error) => log.error({ err: error, event }, 'notification fan-out failed'))
    }
    events.on(event, listener as never)
    return () => events.off(event, listener as never)
  })
  return () => {
    for (const detach of attached) detach()
  }
}
