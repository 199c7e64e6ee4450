import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig } from '../config/config.js'
import { missingModelFiles } from '../infra/embedder/model-files.js'
import { DEFAULT_MODEL_ID, downloadModel } from './download.js'
import { generateBertModel, MINILM_SPEC, TINY_SPEC } from './generate-bert.js'

/** Generated models live under this namespace so they can never be mistaken for real ones. */
export const TEST_MODEL_ID = 'collabmatch/test-bert-tiny'
export const BENCH_MODEL_ID = 'collabmatch/minilm-shaped-random'

class UsageError extends Error {
  override name = 'UsageError'
}

const USAGE = `usage:
  collabmatch model download [MODEL_ID] [--dtype fp32|q8|all]   fetch a model into MODELS_DIR (needs a network)
  collabmatch model generate [tiny|minilm]                      write a random-weight BERT for tests / benchmarks
  collabmatch model status [MODEL_ID]                            which files are present`

export async function runModel(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { dtype: { type: 'string', default: 'all' } },
  })
  const [action, arg] = positionals
  const modelsDir = resolve(loadConfig().MODELS_DIR)
  if (action === 'download') {
    const dtype = values.dtype
    if (!['fp32', 'q8', 'all'].includes(dtype ?? ''))
      throw new UsageError(`--dtype must be fp32, q8 or all\n${USAGE}`)
    const modelId = arg ?? DEFAULT_MODEL_ID
    let lastFile = ''
    const written = await downloadModel({
      modelId,
      modelsDir,
      dtypes: dtype === 'all' ? ['fp32', 'q8'] : [dtype as 'fp32' | 'q8'],
      onProgress: (file, received, total) => {
        if (file !== lastFile) process.stderr.write(`\n${file}\n`)
        lastFile = file
        const pct = total ? ` ${((received / total) * 100).toFixed(0)}%` : ''
        process.stderr.write(`\r  ${(received / 1e6).toFixed(1)} MB${pct}   `)
      },
    })
    process.stdout.write(`\n${modelId}: ${written.length} file(s) written to ${join(modelsDir, modelId)}\n`)
    return
  }
  if (action === 'generate') {
    const which = arg ?? 'tiny'
    if (which !== 'tiny' && which !== 'minilm') throw new UsageError(USAGE)
    const modelId = which === 'tiny' ? TEST_MODEL_ID : BENCH_MODEL_ID
    await generateBertModel(join(modelsDir, modelId), which === 'tiny' ? TINY_SPEC : MINILM_SPEC)
    process.stdout.write(
      `wrote ${join(modelsDir, modelId)} (random weights: for tests and benchmarks only)\n`,
    )
    return
  }
  if (action === 'status') {
    const modelId = arg ?? loadConfig().EMBEDDING_MODEL
    for (const dtype of ['fp32', 'q8'] as const) {
      const missing = missingModelFiles(modelsDir, modelId, dtype)
      process.stdout.write(
        `${modelId} ${dtype}: ${missing.length === 0 ? 'ready' : `missing ${missing.join(', ')}`}\n`,
      )
    }
    return
  }
  throw new UsageError(USAGE)
}
