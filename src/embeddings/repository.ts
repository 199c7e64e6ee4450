import { inArray, sql } from 'drizzle-orm'
import { authorships, works } from '../../db/schema/catalog.js'
import {
  embeddingQueue,
  lexicalTerms,
  researcherEmbeddings,
  researcherRefreshQueue,
  workEmbeddings,
  workLexical,
} from '../../db/schema/embeddings.js'
import type { Database } from '../infra/db/database.js'
import { intArray, jsonRows, keyLookupsOnly } from '../infra/db/sql-rows.js'
import { countsAsExpertise } from '../researchers/settings-repository.js'
import { toVectorLiteral } from './sparse.js'

export interface LeasedWork {
  workId: number
  enqueuedAt: string
  attempts: number
  title: string
  abstract: string | null
}

export interface WorkVectors {
  workId: number
  enqueuedAt: string
  textHash: string
  /** Absent when no dense model is loaded: the work keeps only its lexical vector for now. */
  dense?: { modelId: string; dtype: string; vector: ArrayLike<number> | string }
  lexical: string
  corpusSize: number
  /** Terms counted into document frequencies the first time this work is vectorised. */
  newTermBuckets: number[]
}

export interface EmbeddingCounts {
  pending: number
  leased: number
  failed: number
  dense: number
  lexical: number
  works: number
  denseLastMinute: number
}

export class EmbeddingRepository {
  constructor(private readonly database: Database) {}

  /**
   * Leases ready queue rows. SKIP LOCKED lets several processes share the queue; the lease (not a
   * held transaction) survives the slow embedding step, and a crashed worker's lease just expires.
   */
  async lease(limit: number, leaseSeconds: number): Promise<LeasedWork[]> {
    return this.database.rows<LeasedWork>(sql`
      with ready as (
        select work_id from ${embeddingQueue}
         where failed_at is null and next_attempt_at <= now() and (leased_until is null or leased_until < now())
         order by next_attempt_at, work_id
         limit ${limit}
         for update skip locked
      ), leased as (
        update ${embeddingQueue} q
           set leased_until = now() + make_interval(secs => ${leaseSeconds}), attempts = q.attempts + 1
          from ready where q.work_id = ready.work_id
        returning q.work_id, q.enqueued_at, q.attempts
      )
      select leased.work_id as "workId", leased.enqueued_at::text as "enqueuedAt", leased.attempts,
             w.title, w.abstract
        from leased join ${works} w on w.id = leased.work_id
       order by leased.work_id`)
  }

  async denseByTextHash(modelId: string, hashes: string[]): Promise<Map<string, string>> {
    if (hashes.length === 0) return new Map()
    const rows = await this.database.rows<{ textHash: string; embedding: string }>(sql`
      select distinct on (text_hash) text_hash as "textHash", embedding::text as embedding
        from ${workEmbeddings} where model_id = ${modelId} and text_hash in ${sql`(${sql.join(
          hashes.map((h) => sql`${h}`),
          sql`, `,
        )})`}`)
    return new Map(rows.map((row) => [row.textHash, row.embedding]))
  }

  async hasLexical(workIds: number[]): Promise<Set<number>> {
    if (workIds.length === 0) return new Set()
    const rows = await this.database.rows<{ workId: number }>(sql`
      select work_id as "workId" from ${workLexical} where work_id = any(${intArray(workIds)})`)
    return new Set(rows.map((row) => row.workId))
  }

  /** One array parameter: a batch of 5,000 works asks for tens of thousands of terms. */
  async documentFrequencies(buckets: number[]): Promise<Map<number, number>> {
    const unique = [...new Set(buckets)]
    if (unique.length === 0) return new Map()
    const rows = await this.database.rows<{ termHash: number; df: number }>(sql`
      select term_hash as "termHash", df from ${lexicalTerms} where term_hash = any(${intArray(unique)})`)
    return new Map(rows.map((row) => [row.termHash, row.df]))
  }

  async corpusSize(): Promise<number> {
    const [row] = await this.database.rows<{ n: number }>(sql`select count(*)::int as n from ${workLexical}`)
    return row?.n ?? 0
  }

  /** Stores a batch and clears its queue rows, unless a work changed again since it was leased. */
  async store(results: WorkVectors[]): Promise<void> {
    if (results.length === 0) return
    await this.database.db.transaction(async (tx) => {
      await keyLookupsOnly(tx)
      const dense = results.filter((r) => r.dense)
      if (dense.length > 0) {
        await tx
          .insert(workEmbeddings)
          .values(
            dense.map((r) => ({
              workId: r.workId,
              modelId: r.dense!.modelId,
              dtype: r.dense!.dtype,
              textHash: r.textHash,
              embedding:
                sql`${typeof r.dense!.vector === 'string' ? r.dense!.vector : toVectorLiteral(r.dense!.vector)}::vector` as unknown as number[],
            })),
          )
          .onConflictDoUpdate({
            target: workEmbeddings.workId,
            set: {
              modelId: sql`excluded.model_id`,
              dtype: sql`excluded.dtype`,
              textHash: sql`excluded.text_hash`,
              embedding: sql`excluded.embedding`,
              embeddedAt: sql`now()`,
            },
          })
      }
      // Bulk statements take their rows as one parameter: per-cell parameters cost the query
      // builder more CPU than the statements cost the database, and one DELETE per work was a
      // round trip per work.
      await tx.execute(sql`
        insert into ${workLexical} (work_id, vector, corpus_size)
        select r.work_id, r.vector::sparsevec, r.corpus_size
          from json_to_recordset(${jsonRows(
            results.map((r) => ({ work_id: r.workId, vector: r.lexical, corpus_size: r.corpusSize })),
          )}) as r(work_id int, vector text, corpus_size int)
        on conflict (work_id) do update
          set vector = excluded.vector, corpus_size = excluded.corpus_size, computed_at = now()`)
      const dfIncrements = new Map<number, number>()
      for (const r of results)
        for (const b of r.newTermBuckets) dfIncrements.set(b, (dfIncrements.get(b) ?? 0) + 1)
      // Sorted so that concurrent workers lock term rows in the same order.
      const increments = [...dfIncrements].sort(([a], [b]) => a - b)
      if (increments.length > 0)
        await tx.execute(sql`
          insert into ${lexicalTerms} as t (term_hash, df)
          select * from unnest(${intArray(increments.map(([term]) => term))}, ${intArray(increments.map(([, df]) => df))})
          on conflict (term_hash) do update set df = t.df + excluded.df`)
      // A work queued again since it was leased keeps its row (and is vectorised again).
      await tx.execute(sql`
        delete from ${embeddingQueue} q
         using json_to_recordset(${jsonRows(
           results.map((r) => ({ work_id: r.workId, enqueued_at: r.enqueuedAt })),
         )}) as r(work_id int, enqueued_at timestamptz)
         where q.work_id = r.work_id and q.enqueued_at = r.enqueued_at`)
      if (dense.length > 0) {
        await tx.execute(sql`
          insert into ${researcherRefreshQueue} (researcher_id)
          select distinct researcher_id from ${authorships}
           where work_id in (${sql.join(
             dense.map((r) => sql`${r.workId}`),
             sql`, `,
           )})
          on conflict do nothing`)
      }
    })
  }

  /** Backs off exponentially; after `maxAttempts` the row is parked as failed for an operator to see. */
  async recordFailure(workIds: number[], error: string, baseDelaySeconds: number, maxAttempts: number) {
    if (workIds.length === 0) return
    await this.database.db
      .update(embeddingQueue)
      .set({
        leasedUntil: null,
        lastError: error.slice(0, 1000),
        nextAttemptAt: sql`now() + make_interval(secs => ${baseDelaySeconds} * power(2, ${embeddingQueue.attempts} - 1))`,
        failedAt: sql`case when ${embeddingQueue.attempts} >= ${maxAttempts} then now() end`,
      })
      .where(inArray(embeddingQueue.workId, workIds))
  }

  /** Queues every work without a dense vector from this model (a new or switched model). */
  async enqueueMissingDense(modelId: string, dtype: string): Promise<number> {
    const rows = await this.database.rows<{ n: number }>(sql`
      with missing as (
        insert into ${embeddingQueue} (work_id)
        select w.id from ${works} w
          left join ${workEmbeddings} e on e.work_id = w.id
         where e.work_id is null or e.model_id <> ${modelId} or e.dtype <> ${dtype}
        on conflict (work_id) do nothing
        returning 1)
      select count(*)::int as n from missing`)
    return rows[0]?.n ?? 0
  }

  /** Lexical vectors weighted when the corpus was less than half its size are recomputed. */
  async enqueueStaleLexical(corpusSize: number): Promise<number> {
    const rows = await this.database.rows<{ n: number }>(sql`
      with stale as (
        insert into ${embeddingQueue} (work_id)
        select work_id from ${workLexical} where corpus_size * 2 < ${corpusSize}
        on conflict (work_id) do nothing
        returning 1)
      select count(*)::int as n from stale`)
    return rows[0]?.n ?? 0
  }

  async takeResearchersToRefresh(limit: number): Promise<number[]> {
    const rows = await this.database.rows<{ id: number }>(sql`
      delete from ${researcherRefreshQueue}
       where researcher_id in (select researcher_id from ${researcherRefreshQueue}
                                order by enqueued_at limit ${limit} for update skip locked)
      returning researcher_id as id`)
    return rows.map((row) => row.id)
  }

  async workVectorsOf(researcherIds: number[], modelId: string) {
    if (researcherIds.length === 0) return []
    return this.database.rows<{ researcherId: number; year: number | null; embedding: string }>(sql`
      select a.researcher_id as "researcherId", w.year, e.embedding::text as embedding
        from ${authorships} a
        join ${works} w on w.id = a.work_id
        join ${workEmbeddings} e on e.work_id = a.work_id and e.model_id = ${modelId}
       where a.researcher_id in (${sql.join(
         researcherIds.map((id) => sql`${id}`),
         sql`, `,
       )}) and ${countsAsExpertise('a')}`)
  }

  async dropCentroids(researcherIds: number[]): Promise<void> {
    if (researcherIds.length === 0) return
    await this.database.db
      .delete(researcherEmbeddings)
      .where(inArray(researcherEmbeddings.researcherId, researcherIds))
  }

  async storeCentroids(
    rows: { researcherId: number; modelId: string; vector: number[]; worksCount: number }[],
  ) {
    if (rows.length === 0) return
    await this.database.db
      .insert(researcherEmbeddings)
      .values(
        rows.map((r) => ({
          researcherId: r.researcherId,
          modelId: r.modelId,
          embedding: r.vector,
          worksCount: r.worksCount,
        })),
      )
      .onConflictDoUpdate({
        target: researcherEmbeddings.researcherId,
        set: {
          modelId: sql`excluded.model_id`,
          embedding: sql`excluded.embedding`,
          worksCount: sql`excluded.works_count`,
          updatedAt: sql`now()`,
        },
      })
  }

  async counts(modelId: string | null): Promise<EmbeddingCounts> {
    const [row] = await this.database.rows<EmbeddingCounts>(sql`
      select
        (select count(*)::int from ${embeddingQueue} where failed_at is null and (leased_until is null or leased_until < now())) as pending,
        (select count(*)::int from ${embeddingQueue} where failed_at is null and leased_until >= now()) as leased,
        (select count(*)::int from ${embeddingQueue} where failed_at is not null) as failed,
        (select count(*)::int from ${workEmbeddings} where model_id = ${modelId ?? ''}) as dense,
        (select count(*)::int from ${workLexical}) as lexical,
        (select count(*)::int from ${works}) as works,
        (select count(*)::int from ${workEmbeddings}
          where model_id = ${modelId ?? ''} and embedded_at > now() - interval '60 seconds') as "denseLastMinute"`)
    return row!
  }
}
