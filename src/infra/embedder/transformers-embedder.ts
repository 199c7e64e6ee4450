import { availableParallelism } from 'node:os'
import type { Config } from '../../config/config.js'
import { type Embedder, type EmbedderStatus, ModelUnavailableError } from './embedder.js'
import type { TransformersEmbedderOptions } from './pipeline-embedder.js'
import { SubprocessEmbedder } from './subprocess-embedder.js'

export type { TransformersEmbedderOptions } from './pipeline-embedder.js'

/**
 * Loads a local ONNX model through transformers.js in a child process (see subprocess-embedder.ts).
 * Remote loading is switched off: the only code that downloads is `collabmatch model download`.
 * The caller owns the embedder and closes it when done.
 */
export function loadTransformersEmbedder(options: TransformersEmbedderOptions): Promise<SubprocessEmbedder> {
  return SubprocessEmbedder.start(options)
}

export async function probeEmbedder(
  options: TransformersEmbedderOptions,
): Promise<{ embedder: SubprocessEmbedder | null; status: EmbedderStatus }> {
  try {
    return withStatus(await loadTransformersEmbedder(options))
  } catch (error) {
    const missingFiles = error instanceof ModelUnavailableError ? error.missingFiles : []
    return {
      embedder: null,
      status: {
        available: false,
        modelId: options.modelId,
        dtype: options.dtype,
        reason: error instanceof Error ? error.message : String(error),
        missingFiles,
      },
    }
  }
}

/** A loaded embedder together with the status the app reports for it. */
export function withStatus<E extends Embedder>(embedder: E): { embedder: E; status: EmbedderStatus } {
  return {
    embedder,
    status: {
      available: true,
      modelId: embedder.modelId,
      dtype: embedder.dtype,
      dimensions: embedder.dimensions,
    },
  }
}

/**
 * Threads of the process that embeds search texts: 0 = half the CPUs, at least one. More threads
 * embed one text faster, but a search also needs the database meanwhile and after, and
 * onnxruntime's idle threads keep spinning on their cores for a while after each run.
 */
export function queryThreads(configured: number): number {
  return configured > 0 ? configured : Math.max(1, Math.floor(availableParallelism() / 2))
}

type EmbedderSettings = Pick<
  Config,
  | 'MODELS_DIR'
  | 'EMBEDDING_MODEL'
  | 'EMBEDDING_DTYPE'
  | 'EMBEDDING_THREADS'
  | 'EMBEDDING_MAX_TOKENS'
  | 'EMBEDDING_WORKER'
  | 'EMBEDDING_QUERY_PROCESS'
  | 'EMBEDDING_QUERY_THREADS'
>

function configuredOptions(config: EmbedderSettings): TransformersEmbedderOptions {
  return {
    modelsDir: config.MODELS_DIR,
    modelId: config.EMBEDDING_MODEL,
    dtype: config.EMBEDDING_DTYPE,
    threads: config.EMBEDDING_THREADS,
    maxTokens: config.EMBEDDING_MAX_TOKENS,
  }
}

/**
 * The configured model, and with the worker on (EMBEDDING_QUERY_PROCESS) a second process of it
 * for search texts. A second process that fails to start leaves searches on the first one.
 */
export async function probeConfiguredEmbedder(config: EmbedderSettings) {
  const probed = await probeEmbedder(configuredOptions(config))
  if (!probed.embedder || !config.EMBEDDING_WORKER || !config.EMBEDDING_QUERY_PROCESS)
    return { ...probed, queries: null }
  const queries = await loadTransformersEmbedder({
    ...configuredOptions(config),
    threads: queryThreads(config.EMBEDDING_QUERY_THREADS),
  }).catch(() => null)
  return { ...probed, queries }
}
