import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { EmbeddingDtype } from './embedder.js'

/** What transformers.js reads for a BERT-style feature-extraction model, in its folder layout. */
export function requiredModelFiles(dtype: EmbeddingDtype): string[] {
  return [
    'config.json',
    'tokenizer.json',
    'tokenizer_config.json',
    dtype === 'q8' ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx',
  ]
}

export function missingModelFiles(modelsDir: string, modelId: string, dtype: EmbeddingDtype): string[] {
  return requiredModelFiles(dtype)
    .map((file) => join(modelsDir, modelId, file))
    .filter((path) => !existsSync(path))
}

/** Model ids are Hugging Face style `owner/name`; anything else could escape the models folder. */
export function isValidModelId(modelId: string): boolean {
  return /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(modelId) && !modelId.includes('..')
}
