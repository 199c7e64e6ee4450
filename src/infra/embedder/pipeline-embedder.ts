import { availableParallelism } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { settingDefault } from '../../config/config.js'
import { type Embedder, type EmbeddingDtype, ModelUnavailableError, STORED_DIMENSIONS } from './embedder.js'
import { missingModelFiles, requiredModelFiles } from './model-files.js'
import { withSessionFromFile } from './onnx-session.js'

type Tensor = import('@xenova/transformers').Tensor

export interface TransformersEmbedderOptions {
  modelsDir: string
  modelId: string
  dtype: EmbeddingDtype
  /** onnxruntime intra-op threads; 0 = automatic (see inferenceThreads). */
  threads: number
  /**
   * Longest input in tokens, [CLS] and [SEP] included; longer texts are truncated (the model's own
   * maximum still applies). Default: EMBEDDING_MAX_TOKENS's default.
   */
  maxTokens?: number
}

interface Encoded {
  input_ids: Tensor
  attention_mask: Tensor
}
interface Tokenizer {
  (texts: string[], options: { padding: true; truncation: true; max_length: number }): Encoded
  model_max_length: number
  sep_token_id?: number
}
interface Extractor {
  tokenizer: Tokenizer
  model: (inputs: Encoded) => Promise<{ last_hidden_state: Tensor }>
}

/** Throws the error the service reports when a model's files are not there. */
export function assertModelFilesPresent(options: TransformersEmbedderOptions): void {
  const modelsDir = resolve(options.modelsDir)
  const missing = missingModelFiles(modelsDir, options.modelId, options.dtype)
  if (missing.length > 0) {
    // The message reaches the public /ready: file names within the model's folder, no server paths
    // (the startup log names the full paths for the operator).
    const names = missing.map((path) => relative(join(modelsDir, options.modelId), path))
    throw new ModelUnavailableError(
      `Model ${options.modelId} (${options.dtype}) is not in the models directory (MODELS_DIR): ` +
        `missing ${names.join(', ')}. Run: npx collabmatch model download ${options.modelId}`,
      missing,
    )
  }
}

/**
 * Loads a local ONNX model through transformers.js and runs it in the calling thread (inference
 * blocks that thread's event loop; the service uses it in a child process, see
 * subprocess-embedder.ts). Remote loading is switched off: the only code that downloads is
 * `collabmatch model download`.
 */
/**
 * 0 means automatic: one thread fewer than the CPUs, at least one. The service's own share of an
 * ingest (lexical vectors, database writes, HTTP) runs beside the model; onnxruntime's default of
 * every core starved it (2 cores: 26.6 texts/s raw but 16.8 works/s through the service).
 */
export function inferenceThreads(configured: number): number {
  return configured > 0 ? configured : Math.max(1, availableParallelism() - 1)
}

export async function loadPipelineEmbedder(options: TransformersEmbedderOptions): Promise<Embedder> {
  assertModelFilesPresent(options)
  const modelsDir = resolve(options.modelsDir)
  const { env, mean_pooling, pipeline } = await import('@xenova/transformers')
  env.allowRemoteModels = false
  env.allowLocalModels = true
  env.localModelPath = `${modelsDir}/`
  env.useBrowserCache = false

  const modelFile = requiredModelFiles(options.dtype).at(-1)!
  const extractor = (await withSessionFromFile(
    { path: join(modelsDir, options.modelId, modelFile), threads: inferenceThreads(options.threads) },
    () => pipeline('feature-extraction', options.modelId, { quantized: options.dtype === 'q8' }),
  )) as unknown as Extractor
  const maxTokens = options.maxTokens ?? settingDefault('EMBEDDING_MAX_TOKENS')
  const meanPooled = async (texts: string[]) => {
    const inputs = extractor.tokenizer(texts, { padding: true, truncation: true, max_length: maxTokens })
    keepSeparator(inputs, extractor.tokenizer.sep_token_id)
    const { last_hidden_state } = await extractor.model(inputs)
    // The pooling and normalisation of transformers.js' feature-extraction pipeline.
    return mean_pooling(last_hidden_state, inputs.attention_mask).normalize(2, -1)
  }
  const probe = await meanPooled(['probe'])
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
      const output = await meanPooled(texts.map((text) => (text.trim() === '' ? ' ' : text)))
      return Array.from({ length: texts.length }, (_, i) =>
        (output.data as Float32Array).slice(i * dimensions, (i + 1) * dimensions),
      )
    },
  }
}

/**
 * transformers.js truncates by cutting the token list, [SEP] included; sentence-transformers (what
 * the models were trained and are evaluated with) cuts the text and keeps [SEP]. A truncated row is
 * one whose last position is taken by a token other than [SEP]: that token becomes [SEP].
 */
function keepSeparator({ input_ids, attention_mask }: Encoded, sep: number | undefined): void {
  if (sep === undefined) return
  const [rows = 0, length = 0] = input_ids.dims
  // BERT tokenizers in transformers.js give int64 ids and masks.
  const ids = input_ids.data as BigInt64Array
  const mask = attention_mask.data as BigInt64Array
  for (let row = 0; row < rows; row++) {
    const last = row * length + length - 1
    if (mask[last] === 1n && ids[last] !== BigInt(sep)) ids[last] = BigInt(sep)
  }
}
