import { buildApp } from './app.js'
import { openConfiguredDatabase } from './cli/database.js'
import { loadConfig } from './config/config.js'
import { probeConfiguredEmbedder } from './infra/embedder/transformers-embedder.js'
import { failureText } from './infra/failure-text.js'
import { ServiceUnavailableError } from './infra/http/errors.js'

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
  // Node's server.close() ends only the connections idle at that moment: a keep-alive connection
  // whose response was still being computed stayed open after it (keepAliveTimeout, 72 s) and held
  // the close until the forced exit below. A response sent while closing ends its connection.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close')
    return payload
  })
  // Requests that arrive once shutdown has begun are refused with a 503 while the listener drains.
  // Closing it at once reset the connections not read yet, which on PGlite (its queries run on this
  // thread) included requests sent well before the signal: their clients could not tell whether
  // they had been processed.
  app.addHook('onRequest', async () => {
    if (closing) throw new ServiceUnavailableError('The server is shutting down')
  })
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    // A stuck connection must not keep a stopping process alive forever.
    const force = setTimeout(() => process.exit(1), config.SHUTDOWN_DRAIN_MS + 10_000).unref()
    try {
      // The embedding worker stops at once, beside the HTTP drain rather than after it: it finishes
      // the batches it leased, so a forced exit cannot leave them leased for EMBEDDING_LEASE_SECONDS.
      const drained = new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS))
      await Promise.all([app.services.embeddingWorker.stop(), drained.then(() => app.close())])
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
  process.stderr.write(`${failureText(error)}\n`, () => process.exit(1))
})
