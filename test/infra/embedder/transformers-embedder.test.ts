import t from 'tap'
import { ModelUnavailableError } from '../../../src/infra/embedder/embedder.js'
import type { SubprocessEmbedder } from '../../../src/infra/embedder/subprocess-embedder.js'
import {
  loadTransformersEmbedder,
  probeConfiguredEmbedder,
  probeEmbedder,
} from '../../../src/infra/embedder/transformers-embedder.js'
import { TEST_MODEL_ID } from '../../../src/models/cli.js'
import { testEmbedder, testModelsDir } from '../../helpers/model.js'

const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v))
const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0) / (norm(a) * norm(b))

t.test('a generated BERT loads through the production code and gives unit vectors', async (t) => {
  const embedder = await testEmbedder()
  t.equal(embedder.dimensions, 384)
  t.equal(embedder.modelId, TEST_MODEL_ID)
  const [a, b, c] = await embedder.embed([
    'graph neural networks for protein folding',
    'protein folding with graph networks',
    'coral reef ecology under warming seas',
  ])
  for (const v of [a, b, c]) {
    t.equal(v?.length, 384)
    t.ok(Math.abs(norm(v!) - 1) < 1e-4, 'unit norm')
  }
  t.ok(cosine(a!, c!) < 0.999, 'different texts give different vectors')
})

t.test('deterministic, and a batch equals single calls', async (t) => {
  const embedder = await testEmbedder()
  const texts = ['short', 'a somewhat longer text about message passing networks', '']
  const batch = await embedder.embed(texts)
  const again = await embedder.embed(texts)
  for (const [i, text] of texts.entries()) {
    const [single] = await embedder.embed([text])
    const diff = Math.max(...Array.from(single!, (x, j) => Math.abs(x - batch[i]![j]!)))
    t.ok(diff < 1e-4, `batch = single for "${text}" (max diff ${diff})`)
    t.same(Array.from(again[i]!), Array.from(batch[i]!), 'same input, same output')
  }
  t.same(await embedder.embed([]), [])
})

t.test('texts longer than the model maximum are truncated, not rejected', async (t) => {
  const embedder = await testEmbedder()
  const long = Array.from({ length: 400 }, (_, i) => `word${i % 50} protein`).join(' ')
  const [vector] = await embedder.embed([long])
  t.equal(vector?.length, 384)
  const [prefixOnly] = await embedder.embed([`${long} ${'extra tail '.repeat(200)}`])
  t.ok(cosine(vector!, prefixOnly!) > 0.9999, 'text past the maximum length does not change the vector')
})

t.test(
  'EMBEDDING_MAX_TOKENS cuts long texts as sentence-transformers does: the prefix, then [SEP]',
  async (t) => {
    const limited = await loadTransformersEmbedder({
      modelsDir: await testModelsDir(),
      modelId: TEST_MODEL_ID,
      dtype: 'fp32',
      threads: 1,
      maxTokens: 16,
    })
    t.teardown(() => limited.close())
    // Whole words of the generated vocabulary: one word piece each.
    const words =
      'the results of deep learning show that neural network models based on data and machine algorithm analysis'.split(
        ' ',
      )
    t.ok(words.length > 16)
    const long = words.join(' ')
    const prefix = words.slice(0, 16 - 2).join(' ') // [CLS] + 14 words + [SEP]
    const [cut, asPrefix, short] = await limited.embed([long, prefix, 'deep learning'])
    t.same(Array.from(cut!), Array.from(asPrefix!), 'a long text embeds as its first 14 words')
    const [alone] = await limited.embed([long])
    const diff = Math.max(...Array.from(alone!, (x, i) => Math.abs(x - cut![i]!)))
    t.ok(diff < 1e-4, `truncated and padded rows in one batch agree with single calls (max diff ${diff})`)
    const [untruncated, shortAgain] = await (await testEmbedder()).embed([long, 'deep learning'])
    t.ok(cosine(untruncated!, cut!) < 0.9999, 'the default limit reads the whole text')
    t.same(Array.from(shortAgain!), Array.from(short!), 'texts under the limit are not affected')
  },
)

t.test('missing model files give a clear error naming them and the download command', async (t) => {
  const modelsDir = await testModelsDir()
  const error = await loadTransformersEmbedder({
    modelsDir,
    modelId: 'nobody/no-model',
    dtype: 'q8',
    threads: 1,
  }).then(
    () => null,
    (e: unknown) => e,
  )
  t.ok(error instanceof ModelUnavailableError)
  t.ok((error as ModelUnavailableError).missingFiles.some((f) => f.endsWith('onnx/model_quantized.onnx')))
  t.match((error as Error).message, /collabmatch model download nobody\/no-model/)
  t.match(
    (error as Error).message,
    /missing config\.json, tokenizer\.json, tokenizer_config\.json, onnx\/model_quantized\.onnx/,
  )
  t.notOk((error as Error).message.includes(modelsDir), 'the message reaches /ready: no server paths in it')
  const probed = await probeEmbedder({ modelsDir, modelId: 'nobody/no-model', dtype: 'fp32', threads: 1 })
  t.equal(probed.embedder, null)
  t.match(probed.status, { available: false, modelId: 'nobody/no-model' })
})

t.test(
  'the configured model gets a second process for search texts only while the worker runs here',
  async (t) => {
    const config = {
      MODELS_DIR: await testModelsDir(),
      EMBEDDING_MODEL: TEST_MODEL_ID,
      EMBEDDING_DTYPE: 'fp32' as const,
      EMBEDDING_THREADS: 1,
      EMBEDDING_MAX_TOKENS: 256,
      EMBEDDING_QUERY_PROCESS: true,
      EMBEDDING_QUERY_THREADS: 1,
    }
    const withWorker = await probeConfiguredEmbedder({ ...config, EMBEDDING_WORKER: true })
    t.teardown(async () => {
      await withWorker.embedder?.close()
      await withWorker.queries?.close()
    })
    const [bulk, query] = [
      withWorker.embedder as SubprocessEmbedder,
      withWorker.queries as SubprocessEmbedder,
    ]
    t.ok(bulk && query && bulk.pid !== query.pid, 'two model processes')
    const text = 'protein folding with graph networks'
    const [a] = await bulk.embed([text])
    const [b] = await query.embed([text])
    t.ok(cosine(a!, b!) > 0.9999, 'the same model in both')

    const noWorker = await probeConfiguredEmbedder({ ...config, EMBEDDING_WORKER: false })
    t.teardown(() => noWorker.embedder?.close())
    t.equal(noWorker.queries, null, 'without the worker searches have the process to themselves')
    const missing = await probeConfiguredEmbedder({
      ...config,
      EMBEDDING_MODEL: 'nobody/no-model',
      EMBEDDING_WORKER: true,
    })
    t.same([missing.embedder, missing.queries], [null, null], 'no model, no processes')
  },
)
