import type { Clock } from '../infra/clock.js'
import type { RealtimeSocket } from './handlers/define.js'

export interface SessionWatch {
  expired(): boolean
  /** Call after `socket.data.expiresAt` moved (auth:refresh). */
  rearm(): void
}

/**
 * A socket outlives the access token it connected with; without this a revoked or downgraded
 * account would keep receiving pushes for as long as the tab stays open.
 */
export function watchSession(socket: RealtimeSocket, clock: Clock): SessionWatch {
  let timer: NodeJS.Timeout | undefined
  const expired = () => socket.data.expiresAt <= clock.now().getTime()
  const rearm = () => {
    clearTimeout(timer)
    const remaining = Math.max(0, socket.data.expiresAt - clock.now().getTime())
    // setTimeout overflows above 2^31-1 ms; a capped timer re-checks instead of firing early.
    timer = setTimeout(
      () => {
        if (!expired()) return rearm()
        socket.emit('auth:expired', { expiredAt: new Date(socket.data.expiresAt).toISOString() })
        socket.disconnect(true)
      },
      Math.min(remaining, 2 ** 31 - 1),
    )
    timer.unref()
  }
  socket.on('disconnect', () => clearTimeout(timer))
  rearm()
  return { expired, rearm }
}
