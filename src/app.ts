import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Config } from './config/config.js'
import { ConversationsRepository } from './conversations/repository.js'
import { conversationsRoutes } from './conversations/routes.js'
import { ConversationsService } from './conversations/service.js'
import { HealthRepository } from './health/repository.js'
import { healthRoutes } from './health/routes.js'
import { HealthService } from './health/service.js'
import { authPlugin } from './infra/auth/plugin.js'
import { TokenService } from './infra/auth/tokens.js'
import { type Clock, systemClock } from './infra/clock.js'
import type { Database } from './infra/db/database.js'
import { DomainEvents } from './infra/events.js'
import { installErrorHandler } from './infra/http/error-handler.js'
import { registerOpenApi } from './infra/http/openapi.js'
import { socketPlugin } from './infra/socket/plugin.js'
import { IngestRepository } from './ingest/repository.js'
import { IngestService } from './ingest/service.js'
import { BlocksRepository } from './invitations/blocks-repository.js'
import { blocksRoutes } from './invitations/blocks-routes.js'
import { BlocksService } from './invitations/blocks-service.js'
import { invitationExpiry } from './invitations/expiry.js'
import { PartiesRepository } from './invitations/parties-repository.js'
import { InvitationsRepository } from './invitations/repository.js'
import { invitationsRoutes } from './invitations/routes.js'
import { InvitationsService } from './invitations/service.js'
import { type FollowersLookup, noFollowers } from './notifications/followers.js'
import { NotificationsRepository } from './notifications/repository.js'
import { notificationsRoutes } from './notifications/routes.js'
import { NotificationsService } from './notifications/service.js'
import { subscribeFanout } from './realtime/fanout.js'
import { SocketPush } from './realtime/push.js'
import { type RealtimeSettings, realtimeSettings } from './realtime/settings.js'
import { ResearchersRepository } from './researchers/repository.js'
import { researchersRoutes } from './researchers/routes.js'
import { ResearchersService } from './researchers/service.js'
import { WorksRepository } from './works/repository.js'
import { worksRoutes } from './works/routes.js'
import { WorksService } from './works/service.js'

export type AppConfig = Pick<Config, 'LOG_LEVEL' | 'BODY_LIMIT_BYTES'> & {
  AUTH_SECRET: string
  /** Lets several nodes on one PostgreSQL database share Socket.IO broadcasts. */
  DATABASE_URL?: string | undefined
} & Partial<RealtimeSettings>

export interface AppOptions {
  config: AppConfig
  database: Database
  clock?: Clock
  logger?: FastifyServerOptions['logger']
  /** Who follows whom lives with accounts; until it is wired nobody follows anybody. */
  followers?: FollowersLookup
}

export const APP_VERSION = '0.1.0'

/** Builds services from what it is given; it opens nothing and listens on nothing. */
export function createServices(
  database: Database,
  config: Pick<AppConfig, 'AUTH_SECRET'> & Partial<RealtimeSettings>,
  clock: Clock = systemClock,
  followers: FollowersLookup = noFollowers,
) {
  const events = new DomainEvents()
  const ingest = new IngestService(new IngestRepository(database), events)
  const realtime = realtimeSettings(config)
  const push = new SocketPush()
  const parties = new PartiesRepository(database)
  const blocksRepository = new BlocksRepository(database)
  const notifications = new NotificationsService(
    new NotificationsRepository(database),
    push,
    followers,
    realtime.REALTIME_STRONG_SUGGESTION_SCORE,
  )
  return {
    realtime,
    push,
    notifications,
    invitations: new InvitationsService(
      new InvitationsRepository(database),
      parties,
      notifications,
      push,
      clock,
      {
        ttlSeconds: realtime.REALTIME_INVITATION_TTL_SECONDS,
        perHour: realtime.REALTIME_INVITATIONS_PER_HOUR,
      },
    ),
    blocks: new BlocksService(blocksRepository, parties),
    conversations: new ConversationsService(new ConversationsRepository(database), blocksRepository, push),
    clock,
    events,
    tokens: new TokenService(config.AUTH_SECRET, clock),
    ingest,
    health: new HealthService(new HealthRepository(database)),
    researchers: new ResearchersService(new ResearchersRepository(database)),
    works: new WorksService(new WorksRepository(database)),
  }
}
export type Services = ReturnType<typeof createServices>

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? {
      level: options.config.LOG_LEVEL,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
        censor: '[redacted]',
      },
    },
    bodyLimit: options.config.BODY_LIMIT_BYTES,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  const services = createServices(options.database, options.config, options.clock, options.followers)
  app.decorate('services', services)
  installErrorHandler(app)
  await app.register(authPlugin, { tokens: services.tokens })
  await registerOpenApi(app, APP_VERSION)

  await app.register(healthRoutes, { health: services.health })
  await app.register(researchersRoutes, { researchers: services.researchers })
  await app.register(worksRoutes, { works: services.works, ingest: services.ingest })
  await app.register(invitationsRoutes, { invitations: services.invitations })
  await app.register(blocksRoutes, { blocks: services.blocks })
  await app.register(conversationsRoutes, { conversations: services.conversations })
  await app.register(notificationsRoutes, { notifications: services.notifications })

  await app.register(socketPlugin, {
    tokens: services.tokens,
    push: services.push,
    invitations: services.invitations,
    conversations: services.conversations,
    notifications: services.notifications,
    settings: services.realtime,
    database: { kind: options.database.kind, url: options.config.DATABASE_URL },
  })
  await app.register(invitationExpiry, {
    invitations: services.invitations,
    everySeconds: services.realtime.REALTIME_INVITATION_SWEEP_SECONDS,
  })
  const unsubscribe = subscribeFanout(services.events, services.notifications, app.log)
  app.addHook('onClose', async () => unsubscribe())
  return app
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
  }
}
