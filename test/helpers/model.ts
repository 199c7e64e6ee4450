import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Embedder } from '../../src/infra/embedder/embedder.js'
import { loadTransformersEmbedder, withStatus } from '../../src/infra/embedder/transformers-embedder.js'
import { TEST_MODEL_ID } from '../../src/models/cli.js'
import { generateBertModel, TINY_SPEC } from '../../src/models/generate-bert.js'

/** Generated once per machine (seeded, so every process would write the same bytes). */
export async function testModelsDir(): Promise<string> {
  const dir = join(tmpdir(), `collabmatch-test-models-${TINY_SPEC.seed}-v1`)
  if (existsSync(join(dir, TEST_MODEL_ID, 'onnx', 'model.onnx'))) return dir
  const partial = `${dir}.${process.pid}`
  rmSync(partial, { recursive: true, force: true })
  await generateBertModel(join(partial, TEST_MODEL_ID), TINY_SPEC)
  mkdirSync(dir, { recursive: true })
  try {
    renameSync(join(partial, 'collabmatch'), join(dir, 'collabmatch'))
  } catch {
    // Another test process finished first; its copy is identical.
  }
  rmSync(partial, { recursive: true, force: true })
  return dir
}

let shared: Promise<Embedder> | undefined

export async function testEmbedder(): Promise<Embedder> {
  shared ??= testModelsDir().then((modelsDir) =>
    loadTransformersEmbedder({ modelsDir, modelId: TEST_MODEL_ID, dtype: 'fp32', threads: 1 }),
  )
  return shared
}

export async function testEmbedderOption() {
  return withStatus(await testEmbedder())
}
