import type { EmbedderStatus } from '../infra/embedder/embedder.js'
import type { EmbeddingRepository } from './repository.js'

export class EmbeddingStatusService {
  constructor(
    private readonly repository: EmbeddingRepository,
    private readonly embedder: EmbedderStatus,
  ) {}

  get model(): EmbedderStatus {
    return this.embedder
  }

  async status() {
    const modelId = this.embedder.available ? this.embedder.modelId : null
    const counts = await this.repository.counts(modelId)
    return {
      model: this.embedder.available
        ? {
            available: true,
            id: this.embedder.modelId,
            dtype: this.embedder.dtype,
            dimensions: this.embedder.dimensions,
          }
        : {
            available: false,
            id: this.embedder.modelId,
            dtype: this.embedder.dtype,
            reason: this.embedder.reason,
          },
      works: counts.works,
      queue: { pending: counts.pending, inProgress: counts.leased, failed: counts.failed },
      done: { dense: counts.dense, lexical: counts.lexical },
      throughput: { densePerMinute: counts.denseLastMinute },
    }
  }
}
