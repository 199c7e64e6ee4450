import type { Clock } from '../infra/clock.js'
import { errorAnswer, type Handler, type RealtimeDeps, type RealtimeSocket } from './handlers/define.js'
import { TokenBucket } from './rate-limit.js'
import { conversationRoom, userRoom } from './rooms.js'
import { watchSession } from './session.js'
import type { RealtimeSettings } from './settings.js'

const REPLAY_PAGE = 500

/**
 * One connected tab: joins its rooms, answers its events, and is cut off when it keeps sending
 * what the server refuses (too fast, malformed, unknown).
 */
export function onConnection(
  socket: RealtimeSocket,
  deps: RealtimeDeps,
  handlers: Map<string, Handler>,
  settings: RealtimeSettings,
  conversationIds: readonly number[],
  clock: Clock,
): void {
  const { accountId } = socket.data
  socket.join([userRoom(accountId), ...conversationIds.map(conversationRoom)])

  let strikes = 0
  const strike = (reason: string) => {
    strikes++
    if (strikes === settings.REALTIME_SOCKET_MAX_STRIKES) {
      deps.log.warn({ accountId, socketId: socket.id, reason }, 'disconnecting an abusive socket')
      socket.disconnect(true)
    }
  }
  const session = watchSession(socket, clock)
  const context = { ...deps, socket, session, strike }
  const bucket = new TokenBucket(settings.REALTIME_SOCKET_EVENTS_PER_SECOND, settings.REALTIME_SOCKET_BURST)

  // Every incoming event passes here first, so limits hold for unknown events too.
  // Handled here without calling next(): there are no per-event listeners to pass it on to.
  socket.use(([event, payload, ack]) => {
    const answer = typeof ack === 'function' ? ack : undefined
    if (!bucket.take()) {
      strike('rate limited')
      answer?.(errorAnswer('RATE_LIMITED', 'Too many events; slow down'))
      return
    }
    // The timer may lag behind the clock; an expired session gets nothing but a chance to renew.
    if (event !== 'auth:refresh' && session.expired()) {
      answer?.(errorAnswer('TOKEN_EXPIRED', 'The session token expired; send auth:refresh or reconnect'))
      return
    }
    const handler = handlers.get(event)
    if (!handler) {
      strike('unknown event')
      answer?.(errorAnswer('UNKNOWN_EVENT', `Unknown event ${String(event).slice(0, 64)}`))
      return
    }
    void handler.handle(context, payload, ack)
  })

  const last = socket.handshake.auth?.['lastNotificationId']
  if (Number.isInteger(last) && (last as number) >= 0) {
    deps.notifications
      .list(accountId, last as number, REPLAY_PAGE)
      .then((page) => socket.emit('notifications:replay', page))
      .catch((error) => deps.log.error({ err: error, accountId }, 'notification replay failed'))
  }
}
