/**
 * Matching latency on generated data in PostgreSQL: suggestions (computed and cached), expert
 * search (including embedding the query with the benchmark model) and, in the same run, a raw
 * pgvector kNN on the same tables.
 *
 *   npm run bench:match -- [--works 500000] [--researchers N] [--database-url URL] [--models-dir DIR] [--samples 200]
 *     [--profile-processes 2]
 *
 * Dense work vectors are random unit vectors written by SQL: embedding half a million works with
 * a random-weight model on two cores takes hours and ranking speed does not depend on the weights.
 */
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type SQL, sql } from 'drizzle-orm'
import postgres from 'postgres'
import { createServices } from '../app.js'
import { settingDefault } from '../config/config.js'
import { EmbeddingRepository } from '../embeddings/repository.js'
import { toVectorLiteral } from '../embeddings/sparse.js'
import { defaultWorkerOptions, EmbeddingWorker } from '../embeddings/worker.js'
import { type Database, openDatabase } from '../infra/db/database.js'
import { PROFILE_INDEXES, restoreDeferredIndexes, withoutIndexes } from '../infra/db/deferred-indexes.js'
import { textArray } from '../infra/db/sql-rows.js'
import { loadTransformersEmbedder, queryThreads } from '../infra/embedder/transformers-embedder.js'
import { DomainEvents } from '../infra/events.js'
import { importFile } from '../ingest/file-import.js'
import { BENCH_MODEL_ID } from '../models/cli.js'
import { generateBertModel, MINILM_SPEC } from '../models/generate-bert.js'

const args = new Map<string, string>()
const argv = process.argv.slice(2)
for (let i = 0; i < argv.length; i++)
  if (argv[i]!.startsWith('--')) args.set(argv[i]!.slice(2), argv[++i] ?? '')
const worksWanted = Number(args.get('works') ?? 500_000)
const researchersWanted = Number(args.get('researchers') ?? Math.round(worksWanted / 5))
const url = args.get('database-url') ?? 'postgres://postgres@127.0.0.1:5432/collabmatch_bench'
const modelsDir = args.get('models-dir') ?? './models'
const samples = Number(args.get('samples') ?? 200)
const profileProcesses = Number(args.get('profile-processes') ?? 2)

const started = performance.now()
const log = (message: string) =>
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0)}s] ${message}\n`)
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
const summary = (name: string, xs: number[]) =>
  `${name.padEnd(34)} n=${String(xs.length).padStart(4)}  p50=${percentile(xs, 50).toFixed(1).padStart(7)} ms  p99=${percentile(xs, 99).toFixed(1).padStart(7)} ms`

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now()
  const result = await fn()
  return [performance.now() - start, result]
}

async function ensureDatabase() {
  const target = new URL(url)
  const name = target.pathname.slice(1)
  const adminUrl = new URL(url)
  adminUrl.pathname = '/postgres'
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} })
  const [row] = await admin`select 1 from pg_database where datname = ${name}`
  if (!row) await admin.unsafe(`create database "${name.replace(/"/g, '')}"`)
  await admin.end()
}

/**
 * What the timings depend on most is whether the vectors and their indexes sit in shared_buffers
 * (~3.7 GB at 500k works; PostgreSQL's default is 128 MB). A serving database gets there with
 * traffic; pg_prewarm (contrib) gets there before timing. Returns a line for the report.
 */
async function prewarm(database: Database): Promise<string> {
  const tables = [
    'work_embeddings',
    'work_lexical',
    'researcher_embeddings',
    'researcher_lexical',
    'authorships',
    'works',
  ]
  const names = textArray(tables)
  const [row] = await database.rows<{ sharedBuffers: string; bytes: number }>(sql`
    select current_setting('shared_buffers') as "sharedBuffers",
           sum(pg_total_relation_size(t::regclass))::float8 as bytes
      from unnest(${names}) t`)
  const sizes = `shared_buffers ${row!.sharedBuffers}; vector and work tables with indexes ${(row!.bytes / 2 ** 30).toFixed(1)} GB`
  try {
    await database.rows(sql`create extension if not exists pg_prewarm`)
  } catch {
    return `${sizes}; not prewarmed (no pg_prewarm)`
  }
  log('prewarming the vector and work tables')
  await database.rows(sql`
    select sum(pg_prewarm(c.oid)) from pg_class c
     where c.oid in (select unnest(array[t::regclass, (select reltoastrelid from pg_class where oid = t::regclass)])
                       from unnest(${names}) t)
        or c.oid in (select indexrelid from pg_index where indrelid in (select t::regclass from unnest(${names}) t))`)
  return `${sizes}; prewarmed with pg_prewarm`
}

/**
 * Runs a bulk insert with the named HNSW index dropped and rebuilt after it, in one transaction so
 * an interrupted run leaves the index as it was. Row-by-row HNSW inserts ran at about 100 rows/s
 * on two busy cores (over an hour for 500k works); one index build takes minutes.
 */
async function withIndexRebuilt(database: Database, index: string, insert: SQL) {
  await database.db.transaction(async (tx) => {
    const [{ def }] = (await tx.execute(
      sql`select pg_get_indexdef(${index}::regclass) as def`,
    )) as unknown as [{ def: string }]
    await tx.execute(sql.raw(`set local maintenance_work_mem = '2GB'`))
    await tx.execute(sql.raw(`drop index ${index}`))
    await tx.execute(insert)
    log(`  rebuilding ${index}`)
    await tx.execute(sql.raw(def))
  })
}

async function count(database: Database, table: string): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`))
  return row?.n ?? 0
}

async function main() {
  await ensureDatabase()
  const database = await openDatabase({ kind: 'postgres', url, poolMax: 4 })
  await database.migrate()
  if (!existsSync(join(modelsDir, BENCH_MODEL_ID, 'onnx', 'model.onnx'))) {
    log('generating the MiniLM-shaped benchmark model')
    await generateBertModel(join(modelsDir, BENCH_MODEL_ID), MINILM_SPEC)
  }
  const embedder = await loadTransformersEmbedder({
    modelsDir,
    modelId: BENCH_MODEL_ID,
    // As the service's search-text process embeds (EMBEDDING_QUERY_PROCESS): default dtype and threads.
    dtype: settingDefault('EMBEDDING_DTYPE'),
    threads: queryThreads(settingDefault('EMBEDDING_QUERY_THREADS')),
    maxTokens: settingDefault('EMBEDDING_MAX_TOKENS'),
  })
  const status = {
    available: true as const,
    modelId: embedder.modelId,
    dtype: embedder.dtype,
    dimensions: embedder.dimensions,
  }
  const services = createServices(
    database,
    { AUTH_SECRET: 'benchmark-only-secret-benchmark-only', EMBEDDING_BATCH_SIZE: 5_000 },
    { embedder: { embedder, status } },
  )

  const present = await count(database, 'works')
  if (present !== worksWanted) {
    if (present > 0)
      throw new Error(
        `${url} holds ${present} works, not ${worksWanted}; drop it or pass another --database-url`,
      )
    const dir = mkdtempSync(join(tmpdir(), 'collabmatch-bench-'))
    // The generator runs as its own process writing into a pipe that the import reads: the two
    // overlap instead of generating a 2 GB file first (minutes at 500k works). Same generator,
    // same options, same seed as `collabmatch generate`, so the same works.
    const file = join(dir, 'works.jsonl')
    execFileSync('mkfifo', [file])
    log(`generating ${worksWanted} works by ${researchersWanted} researchers, importing them as they come`)
    const generator = spawn(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(new URL('../cli/main.ts', import.meta.url)),
        'generate',
        ...['--works', String(worksWanted), '--researchers', String(researchersWanted), '--seed', '7'],
        ...['--out', file],
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    )
    const exited = once(generator, 'exit')
    const summary = await importFile(services.ingest, file, { batchSize: 1_000 })
    const [code] = (await exited) as [number | null]
    if (code !== 0) throw new Error(`the generator exited with ${code}`)
    log(`imported ${summary.inserted} works (${summary.rejected} rejected)`)
    rmSync(dir, { recursive: true, force: true })
  }
  // Each phase checks its own table, so an interrupted run resumes where it stopped.
  await restoreDeferredIndexes(database, (m) => log(`  ${m}`))
  // The dense phase is PostgreSQL work (vector generation, HNSW builds) and the lexical one is
  // mostly this process (tokenising, profile arithmetic); they touch different tables, so they
  // run side by side instead of one after the other.
  const densePhase = async () => {
    if ((await count(database, 'work_embeddings')) < worksWanted) {
      log('dense vectors: random unit vectors by SQL (see the header comment)')
      await withIndexRebuilt(
        database,
        'work_embeddings_embedding_hnsw',
        sql`
        insert into work_embeddings (work_id, model_id, dtype, text_hash, embedding)
        select w.id, ${BENCH_MODEL_ID}, 'fp32', 'bench-' || w.id,
               l2_normalize((select array_agg(random() - 0.5) from generate_series(1, 384) g where g > -w.id)::vector)
          from works w
        on conflict (work_id) do nothing`,
      )
    }
    if ((await count(database, 'researcher_embeddings')) === 0) {
      log('researcher dense centroids')
      await withIndexRebuilt(
        database,
        'researcher_embeddings_embedding_hnsw',
        sql`
        insert into researcher_embeddings (researcher_id, model_id, embedding, works_count)
        select a.researcher_id, ${BENCH_MODEL_ID}, l2_normalize(avg(e.embedding)), count(*)::int
          from authorships a join work_embeddings e on e.work_id = a.work_id
         group by a.researcher_id
        on conflict (researcher_id) do nothing`,
      )
      await database.rows(sql`truncate researcher_refresh_queue`)
    }
    log('dense phase done')
  }
  const lexicalPhase = async () => {
    const [{ missing }] = (await database.rows<{ missing: boolean }>(sql`
      select (select count(*) from work_lexical) < ${worksWanted}
          or exists (select 1 from authorships a where not exists (
               select 1 from researcher_lexical p where p.researcher_id = a.researcher_id)) as missing`)) as [
      { missing: boolean },
    ]
    if (missing)
      await withoutIndexes(
        database,
        PROFILE_INDEXES,
        async () => {
          if ((await count(database, 'work_lexical')) < worksWanted) {
            log(
              'lexical vectors through the embedding worker (dense ones are reused by text hash only, so skip them)',
            )
            await database.rows(
              sql`delete from embedding_queue where work_id in (select work_id from work_lexical)`,
            )
            // The worker's own bus, with no profile listener and no model: a serving process refreshes
            // the authors' profiles after every stored batch, which for a bulk load rewrites every
            // researcher once per batch (two thirds of the 50k build went there). The profiles are
            // built once below by rebuildAll, the path meant for bulk loads.
            const worker = new EmbeddingWorker(
              new EmbeddingRepository(database),
              null,
              new DomainEvents(),
              {
                info: () => {},
                warn: (o: object, m?: string) => log(`  ${m ?? ''} ${JSON.stringify(o)}`),
                error: (o: object, m?: string) => log(`  ${m ?? ''} ${JSON.stringify(o)}`),
              } as never,
              { ...defaultWorkerOptions, batchSize: 5_000 },
            )
            let done = 0
            for (;;) {
              const n = await worker.runOnce()
              if (n === 0) break
              done += n
              if (done % 50_000 < 5_000) log(`  lexical ${done}`)
            }
          }
          // rebuildAll in one process spent most of an hour at 500k works; see profiles-parallel.ts.
          log(`researcher lexical profiles in ${profileProcesses} processes`)
          const builder = spawn(
            process.execPath,
            [
              ...process.execArgv,
              fileURLToPath(new URL('./profiles-parallel.ts', import.meta.url)),
              ...['--database-url', url, '--parts', String(profileProcesses)],
            ],
            { stdio: ['ignore', 'inherit', 'inherit'] },
          )
          const [built] = (await once(builder, 'exit')) as [number | null]
          if (built !== 0) throw new Error(`the profile build exited with ${built}`)
        },
        (m) => log(`  ${m}`),
      )
    log('lexical phase done')
  }
  await Promise.all([densePhase(), lexicalPhase()])
  // Bulk profile builds leave hubness to be computed once the group index exists (a no-op when done).
  log('hubness of profiles still without it')
  await services.matchingProfiles.completeHubness()
  // A bulk load leaves the visibility map empty until autovacuum gets there: index-only scans would read the heap.
  log('vacuum analyze')
  await database.rows(sql`vacuum analyze`)
  const memory = await prewarm(database)

  const people = await database.rows<{ id: number }>(sql`
    select researcher_id as id from researcher_lexical where works_count >= 3 order by md5(researcher_id::text) limit ${samples}`)
  const texts = await database.rows<{ text: string }>(sql`
    select title || ' ' || coalesce(abstract, '') as text from works order by md5(id::text) limit ${samples}`)
  log(`timing ${people.length} researchers and ${texts.length} texts`)
  const loadBefore = loadavg()[0]!

  await database.rows(sql`truncate suggestion_cache`)
  const computed: number[] = []
  const served: number[] = []
  const servedFiltered: number[] = []
  for (const { id } of people)
    computed.push((await time(() => services.suggestions.suggest(id, { limit: 20 })))[0])
  for (const { id } of people)
    served.push((await time(() => services.suggestions.suggest(id, { limit: 20 })))[0])
  // Filters pick from the stored ranking: each request below gets a different list from it.
  const filterSets = [
    { minWorks: 5 },
    { openToCollaborate: true },
    { excludeCountries: ['US', 'CN'] },
    { activeSince: 2022, limit: 10 },
  ]
  for (const [i, { id }] of people.entries())
    servedFiltered.push(
      (
        await time(() =>
          services.suggestions.suggest(id, { limit: 20, ...filterSets[i % filterSets.length] }),
        )
      )[0],
    )

  // Without a model the search is the database work plus weighting the query's terms.
  const lexicalOnly = createServices(database, { AUTH_SECRET: 'benchmark-only-secret-benchmark-only' })
  // Warm-up texts of their own: the service remembers recent query vectors, and every timed search
  // must embed its text.
  for (const { text } of texts.slice(0, 3)) {
    const warmUp = `${text} warm-up`
    await embedder.embed([warmUp])
    await services.experts.search(warmUp, 10)
    await lexicalOnly.experts.search(warmUp, 10)
  }
  const search: number[] = []
  const embedOnly: number[] = []
  const searchNoModel: number[] = []
  for (const { text } of texts) {
    embedOnly.push((await time(() => embedder.embed([text])))[0])
    search.push((await time(() => services.experts.search(text, 10)))[0])
    searchNoModel.push((await time(() => lexicalOnly.experts.search(text, 10)))[0])
  }

  const rawKnn: number[] = []
  const rawResearcherKnn: number[] = []
  for (const { text } of texts.slice(0, 100)) {
    const vector = toVectorLiteral((await embedder.embed([text]))[0]!)
    rawKnn.push(
      (
        await time(() =>
          database.rows(
            sql`select work_id from work_embeddings order by embedding <=> ${vector}::vector limit 10`,
          ),
        )
      )[0],
    )
    rawResearcherKnn.push(
      (
        await time(() =>
          database.rows(
            sql`select researcher_id from researcher_embeddings order by embedding <=> ${vector}::vector limit 10`,
          ),
        )
      )[0],
    )
  }
  const loadAfter = loadavg()[0]!
  const [size] = await database.rows<{ works: number; researchers: number; authorships: number }>(sql`
    select (select count(*)::int from works) as works, (select count(*)::int from researchers) as researchers,
           (select count(*)::int from authorships) as authorships`)
  const out = (line: string) => process.stdout.write(`${line}\n`)
  out(
    `bench:match on PostgreSQL: ${size!.works} works, ${size!.researchers} researchers, ${size!.authorships} authorships, model ${BENCH_MODEL_ID} (${embedder.dtype})`,
  )
  out(
    `machine: ${cpus().length} cores, load average (1 min) ${loadBefore.toFixed(2)} before timing, ${loadAfter.toFixed(2)} after`,
  )
  out(memory)
  out(summary('suggestions, first request (computes)', computed))
  out(summary('suggestions, stored ranking (k=20)', served))
  out(summary('suggestions, stored ranking + filters', servedFiltered))
  out(summary('expert search (k=10, embeds query)', search))
  out(summary('query embedding alone', embedOnly))
  out(summary('expert search without a model', searchNoModel))
  out(summary('raw kNN work_embeddings k=10', rawKnn))
  out(summary('raw kNN researcher_embeddings k=10', rawResearcherKnn))
  await database.close()
}

await main()
