import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { AccountExport } from './accounts/export.js'
import { accountExportRoutes } from './accounts/export-routes.js'
import { PasswordResetRepository } from './accounts/password-reset-repository.js'
import { AccountsRepository } from './accounts/repository.js'
import { accountsRoutes } from './accounts/routes.js'
import { AccountsService } from './accounts/service.js'
import { CatalogRepository } from './catalog/repository.js'
import { catalogRoutes } from './catalog/routes.js'
import { CatalogService } from './catalog/service.js'
import { ClaimsRepository } from './claims/repository.js'
import { claimsRoutes } from './claims/routes.js'
import { ClaimsService } from './claims/service.js'
import { type Config, settingDefault } from './config/config.js'
import { ConversationsRepository } from './conversations/repository.js'
import { conversationsRoutes } from './conversations/routes.js'
import { ConversationsService } from './conversations/service.js'
import { EmbeddingRepository } from './embeddings/repository.js'
import { embeddingRoutes } from './embeddings/routes.js'
import { EmbeddingStatusService } from './embeddings/service.js'
import { defaultWorkerOptions, EmbeddingWorker } from './embeddings/worker.js'
import { FollowsRepository } from './follows/repository.js'
import { followsRoutes } from './follows/routes.js'
import { FollowsService } from './follows/service.js'
import { GraphRepository } from './graph/repository.js'
import { graphRoutes } from './graph/routes.js'
import { GraphService } from './graph/service.js'
import { HealthRepository } from './health/repository.js'
import { healthRoutes } from './health/routes.js'
import { HealthService } from './health/service.js'
import { authPlugin } from './infra/auth/plugin.js'
import { TokenService } from './infra/auth/tokens.js'
import { type Clock, systemClock } from './infra/clock.js'
import type { Database } from './infra/db/database.js'
import type { Embedder, EmbedderStatus } from './infra/embedder/embedder.js'
import { withRecentTexts } from './infra/embedder/recent-texts.js'
import { type DomainEventMap, DomainEvents } from './infra/events.js'
import { clientErrorHandler, installErrorHandler } from './infra/http/error-handler.js'
import { installInputGuard } from './infra/http/input-guard.js'
import { loggerOptions } from './infra/http/logging.js'
import { registerOpenApi } from './infra/http/openapi.js'
import { installRateLimit, perAccount } from './infra/http/rate-limit.js'
import { bodiesWithoutCoercion } from './infra/http/validation.js'
import { LoggingMailer, type Mailer } from './infra/mailer.js'
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
import { SuggestionCacheRepository } from './matching/cache-repository.js'
import { CandidatesRepository } from './matching/candidates-repository.js'
import { SuggestionDismissals } from './matching/dismissals.js'
import { DismissalsRepository } from './matching/dismissals-repository.js'
import { dismissalsRoutes } from './matching/dismissals-routes.js'
import { ExpertsService } from './matching/experts.js'
import { ExpertsRepository } from './matching/experts-repository.js'
import { GraphRepository as CoauthorGraphRepository } from './matching/graph-repository.js'
import { MatchingProfiles } from './matching/profiles.js'
import { ProfilesRepository } from './matching/profiles-repository.js'
import { matchingRoutes } from './matching/routes.js'
import { DEFAULT_SUGGESTIONS_SETTINGS, SuggestionsService } from './matching/suggestions.js'
import { DuplicatesRepository } from './moderation/duplicates-repository.js'
import { mergeRoutes } from './moderation/merge-routes.js'
import { MergesService } from './moderation/merges.js'
import { MergesRepository } from './moderation/merges-repository.js'
import { ModerationRepository } from './moderation/repository.js'
import { moderationRoutes } from './moderation/routes.js'
import { ModerationService } from './moderation/service.js'
import type { FollowersLookup } from './notifications/followers.js'
import { outboxSweeper } from './notifications/outbox-sweeper.js'
import { NotificationsRepository } from './notifications/repository.js'
import { notificationsRoutes } from './notifications/routes.js'
import { NotificationsService } from './notifications/service.js'
import { subscribeFanout } from './realtime/fanout.js'
import { SocketPush } from './realtime/push.js'
import { type RealtimeSettings, realtimeSettings } from './realtime/settings.js'
import { ResearchersRepository } from './researchers/repository.js'
import { researchersRoutes } from './researchers/routes.js'
import { ResearchersService } from './researchers/service.js'
import { ResearcherSettingsRepository } from './researchers/settings-repository.js'
import { researcherSettingsRoutes } from './researchers/settings-routes.js'
import { ResearcherSettingsService } from './researchers/settings-service.js'
import { TrustRepository } from './trust/repository.js'
import { trustRoutes } from './trust/routes.js'
import { TrustService } from './trust/service.js'
import { WorksRepository } from './works/repository.js'
import { worksRoutes } from './works/routes.js'
import { WorksService } from './works/service.js'

/** Settings with documented defaults: callers (tests, commands) pass only what they change. */
type DefaultedSettings =
  | 'NODE_ENV'
  | 'AUTH_RATE_LIMIT_MAX'
  | 'AUTH_RATE_LIMIT_WINDOW_SECONDS'
  | 'MATCHING_RATE_LIMIT_MAX'
  | 'MATCHING_RATE_LIMIT_WINDOW_SECONDS'
  | 'REFRESH_TOKEN_TTL_DAYS'
  | 'ACCESS_TOKEN_TTL_SECONDS'
  | 'EMBEDDING_BATCH_SIZE'
  | 'EMBEDDING_LEASE_SECONDS'

/** Settings the app needs; the defaulted ones fall back to the config schema's defaults. */
export type AppConfig = Pick<Config, 'LOG_LEVEL' | 'BODY_LIMIT_BYTES' | 'TRUST_PROXY'> & {
  AUTH_SECRET: string
  /** Lets several nodes on one PostgreSQL database share Socket.IO broadcasts. */
  DATABASE_URL?: string | undefined
} & Partial<Pick<Config, DefaultedSettings>> &
  Partial<RealtimeSettings>

export interface AppOptions {
  config: AppConfig
  database: Database
  clock?: Clock
  logger?: FastifyServerOptions['logger']
  /** Where claim confirmation codes go; by default a log line (without the code in production). */
  mailer?: Mailer
  /**
   * A loaded model, or null to run on lexical similarity only (the status says why). `queries`,
   * the same model in another process, embeds search texts so they never queue behind the
   * worker's batches; without it searches share `embedder`.
   */
  embedder?: { embedder: Embedder | null; status: EmbedderStatus; queries?: Embedder | null }
  /** Start the background embedding worker with the app; tests drain it by hand instead. */
  backgroundWorkers?: boolean
  /** Who follows whom; defaults to the follows table. */
  followers?: FollowersLookup
}

export interface ServiceOptions {
  clock?: Clock
  mailer?: Mailer
  embedder?: AppOptions['embedder']
  log?: FastifyBaseLogger
  followers?: FollowersLookup
}

const setting = <K extends DefaultedSettings>(
  config: Partial<Pick<Config, DefaultedSettings>>,
  key: K,
): Config[K] => config[key] ?? settingDefault(key)

const NO_MODEL: NonNullable<AppOptions['embedder']> = {
  embedder: null,
  status: {
    available: false,
    modelId: 'none',
    dtype: 'fp32',
    reason: 'no model configured',
    missingFiles: [],
  },
}

/** Logs nowhere: for commands that build services but never send a code. */
const silentMailer: Mailer = { sendClaimCode: async () => {}, sendPasswordReset: async () => {} }
const silentLog = { info() {}, warn() {}, error() {} }

export const APP_VERSION = '0.1.0'

/**
 * Largest body on every route but the works import (BODY_LIMIT_BYTES): the biggest legitimate one,
 * an expert search text of 50,000 characters, is at most ~300 kB of JSON. Anyone could otherwise
 * make the server parse 8 MB of JSON per request, on routes that then refuse it.
 */
export const REQUEST_BODY_LIMIT_BYTES = 1024 * 1024

/** Builds services from what it is given; it opens nothing and listens on nothing. */
export function createServices(
  database: Database,
  config: Pick<AppConfig, 'AUTH_SECRET'> &
    Partial<Pick<Config, DefaultedSettings>> &
    Partial<RealtimeSettings>,
  options: ServiceOptions = {},
) {
  const clock = options.clock ?? systemClock
  const events = new DomainEvents()
  const ingest = new IngestService(new IngestRepository(database), events)
  const tokens = new TokenService(config.AUTH_SECRET, clock, setting(config, 'ACCESS_TOKEN_TTL_SECONDS'))
  const trust = new TrustService(new TrustRepository(database), clock)
  const followsRepository = new FollowsRepository(database)
  const follows = new FollowsService(followsRepository, events)
  const settingsRepository = new ResearcherSettingsRepository(database)
  const { embedder, status } = options.embedder ?? NO_MODEL
  const queryEmbedder = options.embedder?.queries ?? embedder
  const embeddingRepository = new EmbeddingRepository(database)
  const realtime = realtimeSettings(config)
  const push = new SocketPush()
  const parties = new PartiesRepository(database)
  const blocksRepository = new BlocksRepository(database)
  const notifications = new NotificationsService(
    new NotificationsRepository(database),
    push,
    options.followers ?? followsRepository,
    realtime.REALTIME_STRONG_SUGGESTION_SCORE,
  )
  const log = options.log ?? silentLog
  const coauthorGraph = new CoauthorGraphRepository(database)
  const candidates = new CandidatesRepository(database)
  const dismissalsRepository = new DismissalsRepository(database)
  const matchingProfiles = new MatchingProfiles(new ProfilesRepository(database), events, log)
  const services = {
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
    tokens,
    ingest,
    health: new HealthService(new HealthRepository(database), status),
    accounts: new AccountsService(
      new AccountsRepository(database),
      tokens,
      clock,
      setting(config, 'REFRESH_TOKEN_TTL_DAYS'),
      new PasswordResetRepository(database),
      options.mailer ?? silentMailer,
      events,
    ),
    claims: new ClaimsService(
      new ClaimsRepository(database),
      options.mailer ?? silentMailer,
      events,
      clock,
      config.AUTH_SECRET,
    ),
    trust,
    moderation: new ModerationService(new ModerationRepository(database), clock, events),
    merges: new MergesService(
      new MergesRepository(database),
      new DuplicatesRepository(database),
      events,
      clock,
    ),
    follows,
    graph: new GraphService(new GraphRepository(database)),
    /** Matching reads excluded works, emphasised topics and openness through this repository. */
    researcherSettings: settingsRepository,
    settings: new ResearcherSettingsService(settingsRepository, events),
    catalog: new CatalogService(new CatalogRepository(database)),
    researchers: new ResearchersService(new ResearchersRepository(database), {
      trust,
      follows,
      settings: settingsRepository,
    }),
    works: new WorksService(new WorksRepository(database)),
    embeddings: new EmbeddingStatusService(embeddingRepository, status),
    matchingProfiles,
    suggestions: new SuggestionsService(
      coauthorGraph,
      candidates,
      new SuggestionCacheRepository(database),
      dismissalsRepository,
      matchingProfiles,
      events,
      clock,
      embedder?.modelId ?? null,
      { ...DEFAULT_SUGGESTIONS_SETTINGS, strongScore: realtime.REALTIME_STRONG_SUGGESTION_SCORE },
      log,
    ),
    dismissals: new SuggestionDismissals(dismissalsRepository, candidates),
    experts: new ExpertsService(
      new ExpertsRepository(database),
      candidates,
      coauthorGraph,
      matchingProfiles,
      queryEmbedder && withRecentTexts(queryEmbedder),
      clock,
    ),
    embeddingWorker: new EmbeddingWorker(embeddingRepository, embedder, events, log, {
      ...defaultWorkerOptions,
      batchSize: setting(config, 'EMBEDDING_BATCH_SIZE'),
      leaseSeconds: setting(config, 'EMBEDDING_LEASE_SECONDS'),
    }),
  }
  const accountExport = new AccountExport(
    {
      ...services,
      settings: services.researcherSettings,
      dismissals: dismissalsRepository,
    },
    clock,
  )
  return { ...services, accountExport }
}
export type Services = ReturnType<typeof createServices>

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? loggerOptions(options.config.LOG_LEVEL),
    bodyLimit: Math.min(options.config.BODY_LIMIT_BYTES, REQUEST_BODY_LIMIT_BYTES),
    // Rate limits key on request.ip: X-Forwarded-For counts only from the configured proxies (none
    // when TRUST_PROXY is unset).
    trustProxy: options.config.TRUST_PROXY ?? false,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
    schemaController: bodiesWithoutCoercion(),
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>()

  const { config } = options
  const services = createServices(options.database, config, {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.embedder ? { embedder: options.embedder } : {}),
    mailer: options.mailer ?? new LoggingMailer(app.log, setting(config, 'NODE_ENV') !== 'production'),
    log: app.log,
    ...(options.followers ? { followers: options.followers } : {}),
  })
  app.decorate('services', services)
  installErrorHandler(app)
  installInputGuard(app)
  await installRateLimit(app)
  await app.register(authPlugin, {
    tokens: services.tokens,
    currentRole: (accountId) => services.accounts.currentRole(accountId),
  })
  await registerOpenApi(app, APP_VERSION)

  const rateLimit = {
    max: setting(config, 'AUTH_RATE_LIMIT_MAX'),
    timeWindow: setting(config, 'AUTH_RATE_LIMIT_WINDOW_SECONDS') * 1000,
  }
  await app.register(healthRoutes, { health: services.health })
  await app.register(accountsRoutes, { accounts: services.accounts, rateLimit })
  await app.register(accountExportRoutes, { exporter: services.accountExport, rateLimit })
  await app.register(researchersRoutes, { researchers: services.researchers })
  await app.register(catalogRoutes, { catalog: services.catalog })
  await app.register(researcherSettingsRoutes, { settings: services.settings })
  await app.register(claimsRoutes, { claims: services.claims, rateLimit })
  await app.register(trustRoutes, { trust: services.trust })
  await app.register(moderationRoutes, { moderation: services.moderation })
  await app.register(mergeRoutes, { merges: services.merges })
  await app.register(followsRoutes, { follows: services.follows })
  await app.register(graphRoutes, { graph: services.graph })
  await app.register(worksRoutes, {
    works: services.works,
    ingest: services.ingest,
    importBodyLimit: options.config.BODY_LIMIT_BYTES,
  })
  await app.register(embeddingRoutes, { embeddings: services.embeddings })
  await app.register(invitationsRoutes, { invitations: services.invitations })
  await app.register(blocksRoutes, { blocks: services.blocks })
  await app.register(conversationsRoutes, { conversations: services.conversations })
  await app.register(notificationsRoutes, { notifications: services.notifications })

  await app.register(socketPlugin, {
    tokens: services.tokens,
    currentRole: (accountId) => services.accounts.currentRole(accountId),
    clock: services.clock,
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
  await app.register(outboxSweeper, {
    notifications: services.notifications,
    everySeconds: services.realtime.REALTIME_OUTBOX_SWEEP_SECONDS,
  })
  const unsubscribe = subscribeFanout(services.events, services.notifications, app.log)
  const closeDeleted = ({ accountId, closed }: DomainEventMap['account:deleted'][0]) => {
    services.push.disconnect([accountId])
    services.notifications.deliver(closed)
  }
  services.events.on('account:deleted', closeDeleted)
  // A released record's pending invitations speak for someone who let it go; a suspended
  // record's must not open a conversation with it.
  const lapsing = new Set<Promise<unknown>>()
  const lapse = (run: () => Promise<unknown>) => {
    const task = run()
      .catch((error: unknown) => app.log.error({ err: error }, 'lapsing pending invitations failed'))
      .finally(() => lapsing.delete(task))
    lapsing.add(task)
  }
  const lapseReleased = ({ researcherId, status }: DomainEventMap['claim:decided'][0]) => {
    if (status === 'released') lapse(() => services.invitations.lapseFor(researcherId))
  }
  const lapseSuspended = ({ researcherId }: DomainEventMap['record:suspended'][0]) =>
    lapse(() => services.invitations.lapseFor(researcherId))
  services.events.on('claim:decided', lapseReleased)
  services.events.on('record:suspended', lapseSuspended)
  app.addHook('onClose', async () => {
    unsubscribe()
    services.events.off('account:deleted', closeDeleted)
    services.events.off('claim:decided', lapseReleased)
    services.events.off('record:suspended', lapseSuspended)
    await Promise.all(lapsing)
  })
  await app.register(matchingRoutes, {
    suggestions: services.suggestions,
    experts: services.experts,
    rateLimit: perAccount({
      max: setting(config, 'MATCHING_RATE_LIMIT_MAX'),
      timeWindow: setting(config, 'MATCHING_RATE_LIMIT_WINDOW_SECONDS') * 1000,
    }),
  })
  await app.register(dismissalsRoutes, { dismissals: services.dismissals })

  if (options.backgroundWorkers) app.addHook('onReady', () => services.embeddingWorker.start())
  app.addHook('onClose', async () => {
    if (options.backgroundWorkers) await services.embeddingWorker.stop()
    // A profile refresh started by the last stored batch must not outlive the app (or its database).
    await services.matchingProfiles.settled()
    await services.suggestions.idle()
  })
  return app
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
  }
}
