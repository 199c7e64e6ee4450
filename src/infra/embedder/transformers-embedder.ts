import { resolve } from 'node:path'
import type { Config } from '../../config/config.js'
import {
  type Embedder,
  type EmbedderStatus,
  type EmbeddingDtype,
  ModelUnavailableError,
  STORED_DIMENSIONS,
} from './embedder.js'
import { missingModelFiles } from './model-files.js'

export interface TransformersEmbedderOptions {
  modelsDir: string
  modelId: string
  dtype: EmbeddingDtype
  /** onnxruntime intra-op threads; 0 lets onnxruntime choose. */
  threads: number
  /** Longest input in tokens; longer texts are truncated (the model's own maximum still applies). */
  maxTokens?: number
}

type Extractor = (
  texts: string[],
  options: { pooling: 'mean'; normalize: boolean },
) => Promise<{ data: Float32Array; dims: number[] }>

/**
 * Loads a local ONNX model through transformers.js. Remote loading is switched off: the only
 * code that downloads is `collabmatch model download`.
 */
export async function loadTransformersEmbedder(options: TransformersEmbedderOptions): Promise<Embedder> {
  const modelsDir = resolve(options.modelsDir)
  const missing = missingModelFiles(modelsDir, options.modelId, options.dtype)
  if (missing.length > 0) {
    throw new ModelUnavailableError(
      `Model ${options.modelId} (${options.dtype}) is not in ${modelsDir}: missing ${missing.join(', ')}. ` +
        `Run: npx collabmatch model download ${options.modelId}`,
      missing,
    )
  }
  const transformers = await import('@xenova/transformers')
  const { env, pipeline } = transformers
  env.allowRemoteModels = false
  env.allowLocalModels = true
  env.localModelPath = `${modelsDir}/`
  env.useBrowserCache = false
  if (options.threads > 0) await limitOnnxThreads(options.threads)

  const extractor = (await pipeline('feature-extraction', options.modelId, {
    quantized: options.dtype === 'q8',
  })) as unknown as Extractor & { tokenizer: { model_max_length: number } }
  if (options.maxTokens) {
    extractor.tokenizer.model_max_length = Math.min(extractor.tokenizer.model_max_length, options.maxTokens)
  }
  const probe = await extractor(['probe'], { pooling: 'mean', normalize: true })
  const dimensions = probe.dims.at(-1) ?? 0
  if (dimensions !== STORED_DIMENSIONS) {
    // Storing would fail on every row; refusing here keeps the service up on lexical ranking instead.
    throw new ModelUnavailableError(
      `Model ${options.modelId} makes ${dimensions}-dimensional vectors but the database stores ${STORED_DIMENSIONS}; ` +
        'choose a 384-dimensional model or change DENSE_DIMENSIONS in db/schema/embeddings.ts and generate a migration',
    )
  }

  return {
    modelId: options.modelId,
    dtype: options.dtype,
    dimensions,
    async embed(texts: string[]) {
      if (texts.length === 0) return []
      // An empty string has no tokens but [CLS]/[SEP]; a space keeps the pipeline's shapes regular.
      const output = await extractor(
        texts.map((text) => (text.trim() === '' ? ' ' : text)),
        { pooling: 'mean', normalize: true },
      )
      return Array.from({ length: texts.length }, (_, i) =>
        output.data.slice(i * dimensions, (i + 1) * dimensions),
      )
    },
  }
}

/**
 * transformers.js 2.x creates onnxruntime sessions without session options, so the thread count
 * is set by wrapping session creation. It is process-wide, like onnxruntime's own thread pool.
 */
async function limitOnnxThreads(threads: number): Promise<void> {
  const { InferenceSession } = (await import('onnxruntime-node')) as unknown as {
    InferenceSession: {
      create: ((buffer: unknown, options?: unknown) => Promise<unknown>) & { limited?: boolean }
    }
  }
  if (InferenceSession.create.limited) return
  const create = InferenceSession.create.bind(InferenceSession)
  const limited = (buffer: unknown, sessionOptions?: unknown) =>
    create(buffer, {
      ...(sessionOptions as object | undefined),
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
    })
  InferenceSession.create = Object.assign(limited, { limited: true })
}

export async function probeEmbedder(
  options: TransformersEmbedderOptions,
): Promise<{ embedder: Embedder | null; status: EmbedderStatus }> {
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
export function withStatus(embedder: Embedder): { embedder: Embedder; status: EmbedderStatus } {
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

export function probeConfiguredEmbedder(
  config: Pick<Config, 'MODELS_DIR' | 'EMBEDDING_MODEL' | 'EMBEDDING_DTYPE' | 'EMBEDDING_THREADS'>,
) {
  return probeEmbedder({
    modelsDir: config.MODELS_DIR,
    modelId: config.EMBEDDING_MODEL,
    dtype: config.EMBEDDING_DTYPE,
    threads: config.EMBEDDING_THREADS,
  })
}
