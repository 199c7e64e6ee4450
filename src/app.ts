import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Config } from './config/config.js'
import { EmbeddingRepository } from './embeddings/repository.js'
import { embeddingRoutes } from './embeddings/routes.js'
import { EmbeddingStatusService } from './embeddings/service.js'
import { defaultWorkerOptions, EmbeddingWorker } from './embeddings/worker.js'
import { HealthRepository } from './health/repository.js'
import { healthRoutes } from './health/routes.js'
import { HealthService } from './health/service.js'
import { authPlugin } from './infra/auth/plugin.js'
import { TokenService } from './infra/auth/tokens.js'
import { type Clock, systemClock } from './infra/clock.js'
import type { Database } from './infra/db/database.js'
import type { Embedder, EmbedderStatus } from './infra/embedder/embedder.js'
import { DomainEvents } from './infra/events.js'
import { installErrorHandler } from './infra/http/error-handler.js'
import { registerOpenApi } from './infra/http/openapi.js'
import { IngestRepository } from './ingest/repository.js'
import { IngestService } from './ingest/service.js'
import { SuggestionCacheRepository } from './matching/cache-repository.js'
import { CandidatesRepository } from './matching/candidates-repository.js'
import { ExpertsService } from './matching/experts.js'
import { GraphRepository } from './matching/graph-repository.js'
import { MatchingProfiles } from './matching/profiles.js'
import { ProfilesRepository } from './matching/profiles-repository.js'
import { matchingRoutes } from './matching/routes.js'
import { SuggestionsService } from './matching/suggestions.js'
import { ResearchersRepository } from './researchers/repository.js'
import { researchersRoutes } from './researchers/routes.js'
import { ResearchersService } from './researchers/service.js'
import { WorksRepository } from './works/repository.js'
import { worksRoutes } from './works/routes.js'
import { WorksService } from './works/service.js'

export type AppConfig = Pick<Config, 'LOG_LEVEL' | 'BODY_LIMIT_BYTES'> & { AUTH_SECRET: string }

export interface AppOptions {
  config: AppConfig
  database: Database
  clock?: Clock
  logger?: FastifyServerOptions['logger']
  /** A loaded model, or null to run on lexical similarity only (the status says why). */
  embedder?: { embedder: Embedder | null; status: EmbedderStatus }
  /** Start the background embedding worker with the app; tests drain it by hand instead. */
  backgroundWorkers?: boolean
}

const NO_MODEL: AppOptions['embedder'] = {
  embedder: null,
  status: {
    available: false,
    modelId: 'none',
    dtype: 'fp32',
    reason: 'no model configured',
    missingFiles: [],
  },
}

export const APP_VERSION = '0.1.0'

const silentLog = { info() {}, warn() {}, error() {} }

/** Builds services from what it is given; it opens nothing and listens on nothing. */
export function createServices(
  database: Database,
  config: Pick<AppConfig, 'AUTH_SECRET'> & Partial<Pick<Config, 'EMBEDDING_BATCH_SIZE'>>,
  options: { clock?: Clock; embedder?: AppOptions['embedder']; log?: FastifyBaseLogger } = {},
) {
  const clock = options.clock ?? systemClock
  const events = new DomainEvents()
  const ingest = new IngestService(new IngestRepository(database), events)
  const { embedder, status } = options.embedder ?? NO_MODEL!
  const embeddingRepository = new EmbeddingRepository(database)
  const log = options.log ?? silentLog
  const graph = new GraphRepository(database)
  const candidates = new CandidatesRepository(database)
  const matchingProfiles = new MatchingProfiles(new ProfilesRepository(database), events, log)
  return {
    clock,
    events,
    tokens: new TokenService(config.AUTH_SECRET, clock),
    ingest,
    health: new HealthService(new HealthRepository(database), status),
    researchers: new ResearchersService(new ResearchersRepository(database)),
    works: new WorksService(new WorksRepository(database)),
    embeddings: new EmbeddingStatusService(embeddingRepository, status),
    matchingProfiles,
    suggestions: new SuggestionsService(
      graph,
      candidates,
      new SuggestionCacheRepository(database),
      matchingProfiles,
      events,
      clock,
      embedder?.modelId ?? null,
    ),
    experts: new ExpertsService(candidates, graph, matchingProfiles, embedder, clock),
    embeddingWorker: new EmbeddingWorker(embeddingRepository, embedder, events, log, {
      ...defaultWorkerOptions,
      batchSize: config.EMBEDDING_BATCH_SIZE ?? defaultWorkerOptions.batchSize,
    }),
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

  const services = createServices(options.database, options.config, {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.embedder ? { embedder: options.embedder } : {}),
    log: app.log,
  })
  app.decorate('services', services)
  installErrorHandler(app)
  await app.register(authPlugin, { tokens: services.tokens })
  await registerOpenApi(app, APP_VERSION)

  await app.register(healthRoutes, { health: services.health })
  await app.register(researchersRoutes, { researchers: services.researchers })
  await app.register(worksRoutes, { works: services.works, ingest: services.ingest })
  await app.register(embeddingRoutes, { embeddings: services.embeddings })
  await app.register(matchingRoutes, { suggestions: services.suggestions, experts: services.experts })

  if (options.backgroundWorkers) app.addHook('onReady', () => services.embeddingWorker.start())
  app.addHook('onClose', async () => {
    if (options.backgroundWorkers) await services.embeddingWorker.stop()
    // A profile refresh started by the last stored batch must not outlive the app (or its database).
    await services.matchingProfiles.settled()
  })
  return app
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
  }
}
