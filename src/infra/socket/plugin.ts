import { createAdapter } from '@socket.io/postgres-adapter'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import pg from 'pg'
import { Server } from 'socket.io'
import type { ConversationsService } from '../../conversations/service.js'
import type { InvitationsService } from '../../invitations/service.js'
import type { NotificationsService } from '../../notifications/service.js'
import { onConnection } from '../../realtime/connection.js'
import { createHandlers } from '../../realtime/handlers/index.js'
import type { RealtimeServer, SocketPush } from '../../realtime/push.js'
import type { RealtimeSettings } from '../../realtime/settings.js'
import type { Role, TokenService } from '../auth/tokens.js'
import type { Clock } from '../clock.js'
import type { DatabaseKind } from '../db/database.js'

export interface SocketPluginOptions {
  tokens: TokenService
  /** The role an account holds now, or null once it is gone (a token outlives a deleted account). */
  currentRole: (accountId: number) => Promise<Role | null>
  clock: Clock
  push: SocketPush
  invitations: InvitationsService
  conversations: ConversationsService
  notifications: NotificationsService
  settings: RealtimeSettings
  database: { kind: DatabaseKind; url?: string | undefined }
}

/** Which adapter carries broadcasts between nodes; none when there can only be one node. */
export function adapterFor(settings: RealtimeSettings, database: SocketPluginOptions['database']) {
  if (settings.REALTIME_ADAPTER === 'none') return 'none'
  if (database.kind === 'postgres' && database.url) return 'postgres'
  if (settings.REALTIME_ADAPTER === 'postgres') {
    throw new Error('REALTIME_ADAPTER=postgres needs DATABASE_URL (PGlite serves a single node)')
  }
  return 'none'
}

/** Socket.IO on the Fastify server itself: same port, same tokens, closed with the app. */
export const socketPlugin = fp<SocketPluginOptions>(
  async (app: FastifyInstance, options) => {
    const { settings, push } = options
    const io: RealtimeServer = new Server(app.server, {
      serveClient: false,
      maxHttpBufferSize: settings.REALTIME_MAX_PAYLOAD_BYTES,
      pingInterval: 10_000,
      pingTimeout: 5_000,
    })

    let pool: pg.Pool | null = null
    if (adapterFor(settings, options.database) === 'postgres') {
      pool = new pg.Pool({ connectionString: options.database.url, max: 4 })
      // A dropped adapter connection is logged and retried by the pool; it must not kill the process.
      pool.on('error', (error) => app.log.error({ err: error }, 'socket.io adapter pool error'))
      io.adapter(createAdapter(pool, { heartbeatInterval: 2_000, heartbeatTimeout: 6_000 }))
    }

    // Loaded before the connection is accepted: a connected socket must be able to take events at once.
    const conversationsOf = new WeakMap<object, number[]>()
    io.use((socket, next) => {
      const token = socket.handshake.auth?.['token']
      if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
        return next(new Error('UNAUTHORIZED'))
      }
      try {
        const { principal, expiresAt } = options.tokens.verifySession(token)
        socket.data.accountId = principal.accountId
        socket.data.role = principal.role
        socket.data.expiresAt = expiresAt.getTime()
      } catch {
        return next(new Error('UNAUTHORIZED'))
      }
      const accountId = socket.data.accountId
      Promise.all([options.currentRole(accountId), options.conversations.conversationIdsOf(accountId)]).then(
        ([role, ids]) => {
          if (!role) return next(new Error('UNAUTHORIZED'))
          socket.data.role = role
          conversationsOf.set(socket, ids)
          next()
        },
        (error) => {
          app.log.error({ err: error }, 'could not load conversations for a socket')
          next(new Error('UNAVAILABLE'))
        },
      )
    })

    const handlers = createHandlers()
    const deps = {
      invitations: options.invitations,
      conversations: options.conversations,
      notifications: options.notifications,
      push,
      tokens: options.tokens,
      log: app.log,
    }
    io.on('connection', (socket) => {
      onConnection(socket, deps, handlers, settings, conversationsOf.get(socket) ?? [], options.clock)
    })
    push.attach(io)

    app.addHook('preClose', async () => {
      push.detach()
      // Open websockets would keep the HTTP server from closing.
      io.local.disconnectSockets(true)
      io.engine.close()
    })
    app.addHook('onClose', async () => {
      await io.of('/').adapter.close()
      await pool?.end()
    })
  },
  { name: 'socket.io' },
)
