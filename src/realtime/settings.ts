import { Value } from 'typebox/value'
import { type Config, ConfigSchema } from '../config/config.js'

export type RealtimeSettings = Pick<
  Config,
  | 'REALTIME_ADAPTER'
  | 'REALTIME_INVITATION_TTL_SECONDS'
  | 'REALTIME_INVITATION_SWEEP_SECONDS'
  | 'REALTIME_OUTBOX_SWEEP_SECONDS'
  | 'REALTIME_INVITATIONS_PER_HOUR'
  | 'REALTIME_MAX_PAYLOAD_BYTES'
  | 'REALTIME_SOCKET_EVENTS_PER_SECOND'
  | 'REALTIME_SOCKET_BURST'
  | 'REALTIME_SOCKET_MAX_STRIKES'
  | 'REALTIME_STRONG_SUGGESTION_SCORE'
>

/** Whatever the caller left out takes the configuration defaults, so embedders name only what differs. */
export function realtimeSettings(given: Partial<RealtimeSettings> = {}): RealtimeSettings {
  const defaults = Value.Default(ConfigSchema, {}) as Config
  const pick = <K extends keyof RealtimeSettings>(key: K) => given[key] ?? defaults[key]
  return {
    REALTIME_ADAPTER: pick('REALTIME_ADAPTER'),
    REALTIME_INVITATION_TTL_SECONDS: pick('REALTIME_INVITATION_TTL_SECONDS'),
    REALTIME_INVITATION_SWEEP_SECONDS: pick('REALTIME_INVITATION_SWEEP_SECONDS'),
    REALTIME_OUTBOX_SWEEP_SECONDS: pick('REALTIME_OUTBOX_SWEEP_SECONDS'),
    REALTIME_INVITATIONS_PER_HOUR: pick('REALTIME_INVITATIONS_PER_HOUR'),
    REALTIME_MAX_PAYLOAD_BYTES: pick('REALTIME_MAX_PAYLOAD_BYTES'),
    REALTIME_SOCKET_EVENTS_PER_SECOND: pick('REALTIME_SOCKET_EVENTS_PER_SECOND'),
    REALTIME_SOCKET_BURST: pick('REALTIME_SOCKET_BURST'),
    REALTIME_SOCKET_MAX_STRIKES: pick('REALTIME_SOCKET_MAX_STRIKES'),
    REALTIME_STRONG_SUGGESTION_SCORE: pick('REALTIME_STRONG_SUGGESTION_SCORE'),
  }
}
