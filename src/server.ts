import { buildApp } from './app.js'
import { openConfiguredDatabase } from './cli/database.js'
import { loadConfig } from './config/config.js'
import { probeConfiguredEmbedder } from './infra/embedder/transformers-embedder.js'

async function main(): Promise<void> {
  const config = loadConfig()
  const database = await openConfiguredDatabase(config)
  const embedder = await probeConfiguredEmbedder(config)
  const app = await buildApp({ config, database, embedder, backgroundWorkers: config.EMBEDDING_WORKER })
  app.log.info({ database: database.kind }, 'database ready')
  if (embedder.status.available) {
    app.log.info({ model: embedder.status.modelId, dtype: embedder.status.dtype }, 'embedding model loaded')
  } else {
    app.log.warn(
      { model: embedder.status.modelId, missingFiles: embedder.status.missingFiles },
      `dense embeddings unavailable, ranking with lexical similarity only: ${embedder.status.reason}`,
    )
  }

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    // A stuck connection must not keep a stopping process alive forever.
    const force = setTimeout(() => process.exit(1), 10_000).unref()
    try {
      await app.close()
      // After the app: its background worker has stopped asking for vectors by now.
      await embedder.embedder?.close()
      await embedder.queries?.close()
      await database.close()
      clearTimeout(force)
      process.exit(0)
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed')
      process.exit(1)
    }
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))

  await app.listen({ host: config.HOST, port: config.PORT })
}

main().catch((error) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error)
  process.exit(1)
})
