/** Turns texts into unit-length vectors; one model, one dimension count, for the life of the process. */
export interface Embedder {
  readonly modelId: string
  readonly dimensions: number
  readonly dtype: EmbeddingDtype
  /** Same order as the input; every vector has `dimensions` entries and unit L2 norm. */
  embed(texts: string[]): Promise<Float32Array[]>
}

export type EmbeddingDtype = 'fp32' | 'q8'

export type EmbedderStatus =
  | { available: true; modelId: string; dtype: EmbeddingDtype; dimensions: number }
  | { available: false; modelId: string; dtype: EmbeddingDtype; reason: string; missingFiles: string[] }

/** The dimension of the stored vector column (db/schema/embeddings.ts); a model must match it. */
export const STORED_DIMENSIONS = 384

export class ModelUnavailableError extends Error {
  override name = 'ModelUnavailableError'
  constructor(
    message: string,
    readonly missingFiles: string[] = [],
  ) {
    super(message)
  }
}
