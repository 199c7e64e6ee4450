import { join } from 'node:path'
import { createServices, type Services } from '../app.js'
import type { Clock } from '../infra/clock.js'
import { type Database, openDatabase } from '../infra/db/database.js'
import { PROFILE_INDEXES, withoutIndexes } from '../infra/db/deferred-indexes.js'
import { openScratchPostgres } from '../infra/db/scratch.js'
import type { Embedder } from '../infra/embedder/embedder.js'
import { loadTransformersEmbedder } from '../infra/embedder/transformers-embedder.js'

export interface EvalArgs {
  data: string
  model: string | null
  modelsDir: string
  /** A PostgreSQL server to evaluate on instead of an in-memory PGlite: a scratch database is made and dropped. */
  databaseUrl: string | null
  rest: Map<string, string>
}

export function parseArgs(argv: string[], usage: string): EvalArgs {
  const rest = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith('--')) continue
    const [name, inline] = arg.slice(2).split('=', 2)
    rest.set(name!, inline ?? argv[++i] ?? '')
  }
  const data = rest.get('data')
  if (!data) {
    process.stderr.write(`${usage}\n`)
    process.exit(2)
  }
  return {
    data,
    model: rest.get('model') ?? null,
    modelsDir: rest.get('models-dir') ?? './models',
    databaseUrl: rest.get('database-url') ?? null,
    rest,
  }
}

export async function loadEmbedder(args: EvalArgs): Promise<Embedder | null> {
  if (!args.model) return null
  return loadTransformersEmbedder({
    modelsDir: args.modelsDir,
    modelId: args.model,
    dtype: 'fp32',
    threads: 2,
  })
}

/**
 * A fresh database (in-memory PGlite, or a scratch database on the given PostgreSQL server) with the
 * service's own composition root. One batch holds the whole data set so every lexical vector is
 * weighted with the final document frequencies.
 */
export async function freshServices(
  embedder: Embedder | null,
  clock?: Clock,
  databaseUrl: string | null = null,
): Promise<{ database: Database; services: Services }> {
  const database = databaseUrl
    ? await openScratchPostgres(databaseUrl, { prefix: 'collabmatch_eval', poolMax: 4 })
    : await openDatabase({ kind: 'pglite' })
  await database.migrate()
  const services = createServices(
    database,
    { AUTH_SECRET: 'evaluation-only-secret-evaluation-only', EMBEDDING_BATCH_SIZE: 1_000_000 },
    {
      ...(clock ? { clock } : {}),
      embedder: embedder
        ? {
            embedder,
            status: {
              available: true,
              modelId: embedder.modelId,
              dtype: embedder.dtype,
              dimensions: embedder.dimensions,
            },
          }
        : undefined,
    },
  )
  return { database, services }
}

/**
 * Imports through the public batch path, then computes vectors and profiles as the service would.
 * The profile indexes are built once after the load instead of row by row (an hour on PGlite);
 * hubness needs the group index, so it comes after them.
 */
export async function load(
  database: Database,
  services: Services,
  works: unknown[],
  log: (message: string) => void = () => {},
): Promise<void> {
  await withoutIndexes(database, PROFILE_INDEXES, async () => {
    for (let i = 0; i < works.length; i += 1_000) await services.ingest.importBatch(works.slice(i, i + 1_000))
    await services.embeddingWorker.drain()
    await services.matchingProfiles.settled()
  })
  const started = Date.now()
  await services.matchingProfiles.completeHubness()
  log(`hubness in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

export const dataPath = (dir: string, ...parts: string[]) => join(dir, ...parts)

export const fmt = (x: number) => x.toFixed(4)
