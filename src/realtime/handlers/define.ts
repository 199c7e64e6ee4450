import type { FastifyBaseLogger } from 'fastify'
import type { Socket } from 'socket.io'
import type { Static, TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import type { ConversationsService } from '../../conversations/service.js'
import type { TokenService } from '../../infra/auth/tokens.js'
import { concurrentChangeConflict } from '../../infra/db/conflicts.js'
import { AppError } from '../../infra/http/errors.js'
import { findInputProblem } from '../../infra/http/input-guard.js'
import type { InvitationsService } from '../../invitations/service.js'
import type { NotificationsService } from '../../notifications/service.js'
import type {
  Ack,
  AckError,
  ClientEvent,
  ClientToServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../contract.js'
import type { Push } from '../push.js'
import type { SessionWatch } from '../session.js'

export type RealtimeSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>

export interface RealtimeDeps {
  invitations: InvitationsService
  conversations: ConversationsService
  notifications: NotificationsService
  push: Push
  tokens: TokenService
  log: FastifyBaseLogger
}

export interface HandlerContext extends RealtimeDeps {
  socket: RealtimeSocket
  session: SessionWatch
  /** Counts a refused event against the socket; too many and it is disconnected. */
  strike(reason: string): void
}

type AckDataOf<E extends ClientEvent> =
  NonNullable<Parameters<ClientToServerEvents[E]>[1]> extends (answer: Ack<infer T>) => void ? T : never

export interface Handler {
  event: ClientEvent
  /** Never throws and never rejects: every outcome is an ack, and a missing ack callback is tolerated. */
  handle(context: HandlerContext, payload: unknown, ack: unknown): Promise<void>
}

export function errorAnswer(
  code: string,
  message: string,
  details?: unknown,
): { ok: false; error: AckError } {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } }
}

/** One client event: its payload schema (compiled once) and what it does, answered as an ack. */
export function defineHandler<E extends ClientEvent, S extends TSchema>(
  event: E,
  schema: S,
  run: (context: HandlerContext, payload: Static<S>) => Promise<AckDataOf<E>>,
): Handler {
  const validator = Compile(schema)
  return {
    event,
    async handle(context, payload, ack) {
      const reply = typeof ack === 'function' ? (ack as (answer: Ack<unknown>) => void) : () => {}
      if (!validator.Check(payload)) {
        context.strike('invalid payload')
        const details = [...validator.Errors(payload)]
          .slice(0, 5)
          .map((e) => ({ path: e.instancePath || '/', message: e.message }))
        reply(errorAnswer('VALIDATION_FAILED', `Invalid payload for ${event}`, details))
        return
      }
      // What the schema cannot say, as on HTTP routes: PostgreSQL text cannot hold U+0000.
      const problem = findInputProblem(payload)
      if (problem) {
        context.strike('invalid payload')
        reply(errorAnswer('VALIDATION_FAILED', `Invalid payload for ${event}`, [problem]))
        return
      }
      try {
        reply({ ok: true, data: await run(context, payload as Static<S>) })
      } catch (error) {
        const known = error instanceof AppError ? error : concurrentChangeConflict(error)
        if (known) {
          reply(errorAnswer(known.code, known.message, known.details))
          return
        }
        context.log.error({ err: error, event, socketId: context.socket.id }, 'socket handler failed')
        reply(errorAnswer('INTERNAL', 'Internal server error'))
      }
    },
  }
}
