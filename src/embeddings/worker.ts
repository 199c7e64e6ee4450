import { createHash } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Embedder } from '../infra/embedder/embedder.js'
import type { DomainEvents } from '../infra/events.js'
import { distinctTerms, prune, termCounts, workVector } from './lexical.js'
import type { EmbeddingRepository, LeasedWork, WorkVectors } from './repository.js'
import { termBucket, toSparsevecLiteral } from './sparse.js'

export interface EmbeddingWorkerOptions {
  batchSize: number
  leaseSeconds: number
  retryBaseSeconds: number
  maxAttempts: number
  /** How often an idle worker looks for work that another process queued. */
  pollMs: number
  /** Terms kept per stored lexical vector: pgvector indexes sparse vectors of up to 1000 entries. */
  lexicalTermsKept: number
}

export const defaultWorkerOptions: EmbeddingWorkerOptions = {
  batchSize: 32,
  leaseSeconds: 300,
  retryBaseSeconds: 5,
  maxAttempts: 5,
  pollMs: 2_000,
  lexicalTermsKept: 400,
}

const CENTROID_REFRESH_MS = 30_000
const CORPUS_RECOUNT_MS = 30_000

const textOf = (work: { title: string; abstract: string | null }) =>
  work.abstract ? `${work.title}\n${work.abstract}` : work.title

export const textHash = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 32)

/**
 * Turns queued works into vectors off the request path. Ingest returns at once; this loop (one per
 * process, any number of processes) drains the queue in batches and never drops a work: failures
 * are retried with backoff and end up visible as "failed", never silently skipped.
 */
/** Batches leased and handed to the model ahead of the one being stored. */
const PREFETCH_BATCHES = 2

interface Vectorised {
  leased: LeasedWork[]
  vectors: WorkVectors[] | null
}

export class EmbeddingWorker {
  private running = false
  private wake: (() => void) | null = null
  private loop: Promise<void> | null = null
  private readonly onWorksChanged = () => this.wake?.()
  private counted = 0
  private countedAt = 0
  private storedSinceCount = 0
  private centroidsRefreshedAt = Date.now()

  constructor(
    private readonly repository: EmbeddingRepository,
    private readonly embedder: Embedder | null,
    private readonly events: DomainEvents,
    private readonly log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>,
    private readonly options: EmbeddingWorkerOptions = defaultWorkerOptions,
  ) {}

  get modelId(): string | null {
    return this.embedder?.modelId ?? null
  }

  /** Processes one batch; returns how many works it finished. */
  async runOnce(): Promise<number> {
    const leased = await this.repository.lease(this.options.batchSize, this.options.leaseSeconds)
    if (leased.length === 0) return 0
    try {
      return await this.persist(leased, await this.vectorise(leased))
    } catch (error) {
      await this.fail(leased, error)
      return 0
    }
  }

  /** Drains everything that is ready now; used by commands and tests. */
  async drain(): Promise<number> {
    const total = await this.pump(() => true)
    await this.refreshCentroids()
    return total
  }

  /**
   * Works through ready batches while `keepGoing` allows. The next batches are leased and handed to
   * the model before this one is stored, so the embedding process always has work queued while
   * this process does the lexical and database side.
   */
  private async pump(keepGoing: () => boolean): Promise<number> {
    let total = 0
    let exhausted = false
    const ahead: Promise<Vectorised | null>[] = []
    // Leases are taken one after the other; only vectorising overlaps. Two leases at once on
    // PostgreSQL split the ready rows between them (SKIP LOCKED) at a random point, so a batch
    // meant to hold a whole corpus came in two parts, each weighted as if it were the corpus.
    let lastLease: Promise<unknown> = Promise.resolve()
    const refill = () => {
      while (!exhausted && ahead.length < PREFETCH_BATCHES && keepGoing()) {
        const leased = lastLease.then(() =>
          this.repository.lease(this.options.batchSize, this.options.leaseSeconds),
        )
        lastLease = leased.catch(() => {})
        ahead.push(this.vectoriseLeased(leased))
      }
    }
    refill()
    while (ahead.length > 0) {
      const batch = await ahead.shift()!
      if (batch === null) {
        // The queue ran dry; batches already leased ahead are still finished below.
        exhausted = true
        continue
      }
      refill()
      if (batch.vectors) {
        total += await this.persist(batch.leased, batch.vectors).catch(async (error) => {
          await this.fail(batch.leased, error)
          return 0
        })
      }
    }
    return total
  }

  /** Null when nothing is ready; `vectors` null when the batch failed (its rows back off). */
  private async vectoriseLeased(lease: Promise<LeasedWork[]>): Promise<Vectorised | null> {
    const leased = await lease
    if (leased.length === 0) return null
    try {
      return { leased, vectors: await this.vectorise(leased) }
    } catch (error) {
      await this.fail(leased, error)
      return { leased, vectors: null }
    }
  }

  private async persist(leased: LeasedWork[], vectors: WorkVectors[]): Promise<number> {
    await this.repository.store(vectors)
    this.events.emit('vectors:stored', { workIds: vectors.map((v) => v.workId) })
    this.storedSinceCount += vectors.filter((v) => v.newTermBuckets.length > 0).length
    // Centroids wait for a quiet moment: recomputing them per batch would cost more than the batch.
    if (Date.now() - this.centroidsRefreshedAt > CENTROID_REFRESH_MS) await this.refreshCentroids()
    return leased.length
  }

  private async fail(leased: LeasedWork[], error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error)
    this.log.warn({ works: leased.length, err: message }, 'embedding batch failed; will retry')
    await this.repository.recordFailure(
      leased.map((w) => w.workId),
      message,
      this.options.retryBaseSeconds,
      this.options.maxAttempts,
    )
  }

  async start(): Promise<void> {
    if (this.running) return
    this.running = true
    if (this.embedder) {
      const queued = await this.repository.enqueueMissingDense(this.embedder.modelId, this.embedder.dtype)
      if (queued > 0)
        this.log.info(
          { queued, model: this.embedder.modelId },
          'queued works missing vectors from this model',
        )
    }
    this.events.on('works:changed', this.onWorksChanged)
    this.loop = this.run()
  }

  async stop(): Promise<void> {
    this.running = false
    this.events.off('works:changed', this.onWorksChanged)
    this.wake?.()
    await this.loop
  }

  private async run(): Promise<void> {
    while (this.running) {
      let done = 0
      try {
        done = await this.pump(() => this.running)
      } catch (error) {
        this.log.error({ err: error }, 'embedding worker could not reach the queue')
      }
      if (done === 0 && this.running) {
        await this.refreshCentroids().catch((error) =>
          this.log.error({ err: error }, 'centroid refresh failed'),
        )
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs)
          this.wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        this.wake = null
      }
    }
  }

  private async vectorise(leased: LeasedWork[]): Promise<WorkVectors[]> {
    const texts = leased.map((work) => textOf(work))
    const hashes = texts.map(textHash)
    // The model works on its own threads while the lexical side runs here.
    const densePending = this.embedder ? this.denseVectors(texts, hashes) : Promise.resolve(null)
    densePending.catch(() => {})
    const counts = leased.map((work) => termCounts(work.title, work.abstract ?? ''))
    const buckets = counts.map((c) => [...new Set(distinctTerms(c).map(termBucket))])
    const alreadyCounted = await this.repository.hasLexical(leased.map((w) => w.workId))
    const df = await this.repository.documentFrequencies(buckets.flat())
    // The batch's own new works count towards N and df, so the first batch of a corpus is weighted sensibly.
    const fresh = leased.filter((w) => !alreadyCounted.has(w.workId))
    const batchDf = new Map<number, number>()
    fresh.forEach((work) => {
      for (const b of buckets[leased.indexOf(work)]!) batchDf.set(b, (batchDf.get(b) ?? 0) + 1)
    })
    const corpusSize = (await this.corpusSize()) + fresh.length
    const dense = await densePending
    return leased.map((work, i) => {
      const vector = prune(
        workVector(
          counts[i]!,
          (term) => (df.get(termBucket(term)) ?? 0) + (batchDf.get(termBucket(term)) ?? 0),
          corpusSize,
        ),
        this.options.lexicalTermsKept,
      )
      return {
        workId: work.workId,
        enqueuedAt: work.enqueuedAt,
        textHash: hashes[i]!,
        ...(dense
          ? { dense: { modelId: this.embedder!.modelId, dtype: this.embedder!.dtype, vector: dense[i]! } }
          : {}),
        lexical: toSparsevecLiteral(vector),
        corpusSize,
        newTermBuckets: alreadyCounted.has(work.workId) ? [] : buckets[i]!,
      }
    })
  }

  /** Identical texts (reprints, duplicates, re-queued works) are embedded once and copied. */
  private async denseVectors(texts: string[], hashes: string[]): Promise<(ArrayLike<number> | string)[]> {
    const embedder = this.embedder!
    const known = await this.repository.denseByTextHash(embedder.modelId, hashes)
    const toEmbed = new Map<string, string>()
    hashes.forEach((hash, i) => {
      if (!known.has(hash)) toEmbed.set(hash, texts[i]!)
    })
    const fresh = await embedder.embed([...toEmbed.values()])
    const computed = new Map([...toEmbed.keys()].map((hash, i) => [hash, fresh[i]!]))
    return hashes.map((hash) => known.get(hash) ?? computed.get(hash)!)
  }

  /**
   * Counting the corpus scans a table that grows to millions of rows, and IDF barely moves between
   * batches: count now and then, and add what this worker stored in between.
   */
  private async corpusSize(): Promise<number> {
    if (this.countedAt === 0 || Date.now() - this.countedAt > CORPUS_RECOUNT_MS) {
      this.counted = await this.repository.corpusSize()
      this.countedAt = Date.now()
      this.storedSinceCount = 0
    }
    return this.counted + this.storedSinceCount
  }

  private async refreshCentroids(): Promise<void> {
    this.centroidsRefreshedAt = Date.now()
    if (!this.embedder) return
    const modelId = this.embedder.modelId
    for (;;) {
      const ids = await this.repository.takeResearchersToRefresh(500)
      if (ids.length === 0) return
      const rows = await this.repository.workVectorsOf(ids, modelId)
      await this.repository.storeCentroids(recencyWeightedCentroids(rows, modelId))
      // No counted work with a vector (the claimant excluded them all): no centroid either.
      const covered = new Set(rows.map((r) => r.researcherId))
      await this.repository.dropCentroids(ids.filter((id) => !covered.has(id)))
    }
  }
}

/** Half-life of a work's weight in a researcher's centroid: recent work says more about current interests. */
const HALF_LIFE_YEARS = 5

export function recencyWeightedCentroids(
  rows: { researcherId: number; year: number | null; embedding: string }[],
  modelId: string,
) {
  const byResearcher = new Map<number, { year: number | null; vector: number[] }[]>()
  for (const row of rows) {
    const list = byResearcher.get(row.researcherId) ?? []
    list.push({ year: row.year, vector: JSON.parse(row.embedding) as number[] })
    byResearcher.set(row.researcherId, list)
  }
  return [...byResearcher].map(([researcherId, list]) => {
    const newest = Math.max(...list.map((w) => w.year ?? 0))
    const sum = new Array<number>(list[0]!.vector.length).fill(0)
    for (const work of list) {
      const weight = 0.5 ** ((newest - (work.year ?? newest)) / HALF_LIFE_YEARS)
      work.vector.forEach((x, i) => {
        sum[i]! += weight * x
      })
    }
    const norm = Math.hypot(...sum) || 1
    return { researcherId, modelId, vector: sum.map((x) => x / norm), worksCount: list.length }
  })
}
