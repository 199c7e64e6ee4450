import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { type AppConfig, type AppOptions, buildApp } from '../../src/app.js'
import type { Clock } from '../../src/infra/clock.js'
import type { Database } from '../../src/infra/db/database.js'
import type { Mailer } from '../../src/infra/mailer.js'
import { freshDatabase } from './database.js'

export const TEST_AUTH_SECRET = 'test-secret-test-secret-test-secret-0000'

export interface BuildOptions {
  clock?: Clock
  database?: Database
  embedder?: AppOptions['embedder'] | undefined
  mailer?: Mailer
  /** Overrides, e.g. a low AUTH_RATE_LIMIT_MAX for the rate-limit test. */
  config?: Partial<AppConfig>
}

/** An app on a fresh database, closed when the test ends. */
export async function build(t: Test, options: BuildOptions = {}): Promise<FastifyInstance> {
  const database = options.database ?? (await freshDatabase())
  const app = await buildApp({
    config: {
      LOG_LEVEL: 'silent',
      BODY_LIMIT_BYTES: 8 * 1024 * 1024,
      AUTH_SECRET: TEST_AUTH_SECRET,
      // Suites register many accounts from one address; the rate-limit test lowers this again.
      AUTH_RATE_LIMIT_MAX: 10_000,
      MATCHING_RATE_LIMIT_MAX: 10_000,
      ...options.config,
    },
    database,
    logger: false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.embedder ? { embedder: options.embedder } : {}),
    ...(options.mailer ? { mailer: options.mailer } : {}),
  })
  t.teardown(() => app.close())
  await app.ready()
  return app
}
