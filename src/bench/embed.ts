/**
 * bench:embed — the raw transformers.js pipeline against the service's ingest-to-stored path, on
 * the same MiniLM-shaped model and the same ~200-token abstracts, in one run.
 *
 * The raw pipeline runs in this process; the service embeds through its embedding process
 * (SubprocessEmbedder), as the server does. Also times single-text queries both ways.
 *
 *   npm run bench:embed -- [--works 256] [--batch 16] [--threads 0] [--dtype fp32|q8] [--database-url postgres://…]
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { PassThrough } from 'node:stream'
import { parseArgs } from 'node:util'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { createServices } from '../app.js'
import { generateWorks } from '../generate/generator.js'
import { type Database, openDatabase } from '../infra/db/database.js'
import type { Embedder } from '../infra/embedder/embedder.js'
import { inferenceThreads, loadPipelineEmbedder } from '../infra/embedder/pipeline-embedder.js'
import { loadTransformersEmbedder, withStatus } from '../infra/embedder/transformers-embedder.js'
import { abstractFromInvertedIndex } from '../ingest/openalex.js'
import { BENCH_MODEL_ID } from '../models/cli.js'
import { generateBertModel, MINILM_SPEC } from '../models/generate-bert.js'

const { values } = parseArgs({
  options: {
    works: { type: 'string', default: '256' },
    batch: { type: 'string', default: '16' },
    threads: { type: 'string', default: '0' },
    dtype: { type: 'string', default: 'fp32' },
    'models-dir': { type: 'string', default: './models' },
    'database-url': { type: 'string' },
  },
})
const count = Number(values.works)
const batch = Number(values.batch)
const threads = Number(values.threads)
const dtype = values.dtype === 'q8' ? 'q8' : 'fp32'
const modelsDir = resolve(values['models-dir'])

async function sampleWorks(n: number): Promise<Record<string, unknown>[]> {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (c: Buffer) => chunks.push(c))
  await generateWorks(stream, { works: n, researchers: Math.max(10, Math.round(n / 4)), seed: 99 })
  stream.end()
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .map((work) => {
      // ~90 words come to ~200 tokens with this vocabulary: the abstract length the target is set for.
      const abstract = String(
        work['abstract'] ?? abstractFromInvertedIndex(work['abstract_inverted_index']) ?? 'x',
      )
      return {
        ...work,
        abstract: abstract.split(' ').slice(0, 90).join(' '),
        abstract_inverted_index: undefined,
      }
    })
}

async function benchDatabase(): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  const url = values['database-url']
  if (!url) {
    const database = await openDatabase({ kind: 'pglite' })
    await database.migrate()
    return { database, cleanup: () => database.close() }
  }
  const name = `collabmatch_bench_embed_${process.pid}`
  const admin = postgres(url, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const target = new URL(url)
  target.pathname = `/${name}`
  const database = await openDatabase({ kind: 'postgres', url: target.toString(), poolMax: 4 })
  await database.migrate()
  return {
    database,
    cleanup: async () => {
      await database.close()
      await admin.unsafe(`drop database ${name} with (force)`)
      await admin.end()
    },
  }
}

async function main() {
  const modelDir = join(modelsDir, BENCH_MODEL_ID)
  if (!existsSync(join(modelDir, 'onnx', 'model.onnx'))) {
    console.log(`generating the MiniLM-shaped benchmark model in ${modelDir} …`)
    await generateBertModel(modelDir, MINILM_SPEC)
  }
  const options = { modelsDir, modelId: BENCH_MODEL_ID, dtype, threads } as const
  const embedder = await loadPipelineEmbedder(options)
  const service = await loadTransformersEmbedder(options)
  const works = await sampleWorks(count)
  const texts = works.map((w) => `${w['title']}\n${w['abstract']}`)
  const tokenizer = (await import('@xenova/transformers')).AutoTokenizer
  const tok = await tokenizer.from_pretrained(BENCH_MODEL_ID)
  const tokens = texts.map((t) => (tok.encode(t) as number[]).length)
  const meanTokens = tokens.reduce((a, b) => a + b, 0) / tokens.length

  // warm-up: the first runs allocate and pick kernels
  await embedder.embed(texts.slice(0, batch))
  await service.embed(texts.slice(0, batch))
  const timeRaw = async () => {
    const start = performance.now()
    for (let i = 0; i < texts.length; i += batch) await embedder.embed(texts.slice(i, i + batch))
    return (performance.now() - start) / 1000
  }
  // Raw runs before and after the service run, so a change in machine load shows instead of skewing the ratio.
  const rawBefore = await timeRaw()

  const { database, cleanup } = await benchDatabase()
  try {
    const services = createServices(
      database,
      { AUTH_SECRET: 'x'.repeat(32), EMBEDDING_BATCH_SIZE: batch },
      { embedder: withStatus(service) },
    )
    const started = performance.now()
    for (let i = 0; i < works.length; i += 500) await services.ingest.importBatch(works.slice(i, i + 500))
    await services.embeddingWorker.drain()
    const serviceSeconds = (performance.now() - started) / 1000
    const rawAfter = await timeRaw()
    const rawSeconds = (rawBefore + rawAfter) / 2
    const [stored] = await database.rows<{ n: number }>(sql`select count(*)::int as n from work_embeddings`)

    const raw = count / rawSeconds
    const serviceRate = count / serviceSeconds
    console.log(
      `model ${BENCH_MODEL_ID} (MiniLM-L6 shape, 384 dims, random weights, ${dtype}, threads ${threads === 0 ? `0 = auto ${inferenceThreads(0)}` : threads}), ${database.kind}`,
    )
    console.log(
      `works ${count}, mean ${meanTokens.toFixed(0)} tokens (model truncates at 512), batch ${batch}`,
    )
    console.log(
      `raw pipeline:        ${raw.toFixed(1)} texts/s (mean of ${rawBefore.toFixed(1)} s before and ${rawAfter.toFixed(1)} s after)`,
    )
    console.log(
      `service end to end:  ${serviceRate.toFixed(1)} works/s (${serviceSeconds.toFixed(1)} s, ${stored?.n} stored)`,
    )
    console.log(`ratio service/raw:   ${(serviceRate / raw).toFixed(3)} (target >= 0.9)`)
    const queries = texts.slice(0, 40)
    console.log(
      `query, 1 text:       p50 ${(await p50Ms(embedder, queries)).toFixed(1)} ms in this process, ` +
        `${(await p50Ms(service, queries)).toFixed(1)} ms through the embedding process`,
    )
    const childMb = peakRssMb(service.pid)
    console.log(
      `peak RSS:            ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB` +
        (childMb === null ? '' : ` + ${childMb.toFixed(0)} MB embedding process`),
    )
  } finally {
    await service.close()
    await cleanup()
  }
}

async function p50Ms(embedder: Embedder, texts: string[]): Promise<number> {
  const times: number[] = []
  for (const text of texts) {
    const start = performance.now()
    await embedder.embed([text])
    times.push(performance.now() - start)
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!
}

/** The high-water mark of a child's resident memory (Linux only). */
function peakRssMb(pid: number | undefined): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kb ? Number(kb) / 1024 : null
  } catch {
    return null
  }
}

await main()
