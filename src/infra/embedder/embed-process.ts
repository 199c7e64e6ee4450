/**
 * Entry of the embedding process (see subprocess-embedder.ts): loads the model with the same code
 * as an in-process embedder and answers requests one at a time, in arrival order.
 */

import { type EmbedReply, type EmbedRequest, toWire } from './embed-protocol.js'
import { loadPipelineEmbedder, type TransformersEmbedderOptions } from './pipeline-embedder.js'

const reply = (message: EmbedReply) => process.send?.(message)
// The parent is gone (exited, or killed without a chance to stop us): nobody will ask again.
process.on('disconnect', () => process.exit(0))

try {
  const embedder = await loadPipelineEmbedder(
    JSON.parse(process.argv[2] ?? '{}') as TransformersEmbedderOptions,
  )
  let previous = Promise.resolve()
  process.on('message', ({ id, texts }: EmbedRequest) => {
    previous = previous.then(async () => {
      try {
        reply({ kind: 'vectors', id, vectors: await embedder.embed(texts) })
      } catch (error) {
        reply({ kind: 'error', id, error: toWire(error) })
      }
    })
  })
  reply({ kind: 'ready', dimensions: embedder.dimensions })
} catch (error) {
  reply({ kind: 'failed', error: toWire(error) })
}
