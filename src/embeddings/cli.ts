import { parseArgs } from 'node:util'
import { createServices } from '../app.js'
import { openConfiguredDatabase } from '../cli/database.js'
import { loadConfig } from '../config/config.js'
import { probeConfiguredEmbedder } from '../infra/embedder/transformers-embedder.js'

/**
 * `embed` drains the queue in the foreground; `reembed` first queues every work lacking a vector
 * from EMBEDDING_MODEL. Both resume where they stopped: the queue lives in the database.
 */
export async function runEmbed(argv: string[], { reembed }: { reembed: boolean }): Promise<void> {
  parseArgs({ args: argv, allowPositionals: false, options: {} })
  const config = loadConfig()
  // Nothing searches here: one model process is enough.
  const embedder = await probeConfiguredEmbedder({ ...config, EMBEDDING_QUERY_PROCESS: false })
  if (!embedder.embedder) {
    if (reembed)
      throw Object.assign(new Error(embedder.status.available ? '' : embedder.status.reason), {
        name: 'UsageError',
      })
    process.stderr.write('no dense model: computing lexical vectors only\n')
  }
  const database = await openConfiguredDatabase(config)
  let stopping = false
  process.once('SIGINT', () => {
    stopping = true
    process.stderr.write('\nstopping after this batch; run the command again to resume\n')
  })
  try {
    const services = createServices(database, config, { embedder })
    const worker = services.embeddingWorker
    if (reembed && embedder.embedder) {
      await services.embeddings.status()
      await worker.start()
      await worker.stop()
    }
    const started = Date.now()
    let done = 0
    while (!stopping) {
      const batch = await worker.runOnce()
      done += batch
      const status = await services.embeddings.status()
      const left = status.queue.pending + status.queue.inProgress
      const rate = done / Math.max((Date.now() - started) / 1000, 0.001)
      process.stderr.write(
        `\r${done} embedded, ${left} left, ${rate.toFixed(1)} works/s, ETA ${(left / Math.max(rate, 0.001)).toFixed(0)} s   `,
      )
      if (left === 0) break
      // Other processes' batches, or retries backing off: wait for them rather than stop short.
      if (batch === 0) await new Promise((resolve) => setTimeout(resolve, 500))
    }
    await worker.drain()
    // Each stored batch refreshes its authors' matching profiles in the background; closing the
    // database under them would leave profiles or hubness values unwritten.
    await services.matchingProfiles.settled()
    const status = await services.embeddings.status()
    process.stdout.write(
      `\nembedded ${done} works in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `dense ${status.done.dense}/${status.works}, lexical ${status.done.lexical}/${status.works}, failed ${status.queue.failed}\n`,
    )
  } finally {
    await embedder.embedder?.close()
    await database.close()
  }
}
