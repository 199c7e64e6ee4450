import { sql } from 'drizzle-orm'
import { index, integer, pgTable, sparsevec, text, timestamp, vector } from 'drizzle-orm/pg-core'
import { researchers, works } from './catalog.js'

/** Dense vectors are stored at this width; a model of another width needs a migration (see README). */
export const DENSE_DIMENSIONS = 384
/** Lexical terms are hashed into this many buckets: collisions stay rare at millions of distinct terms. */
export const LEXICAL_DIMENSIONS = 1 << 24

const at = (name: string) => timestamp(name, { withTimezone: true })

/** One dense vector per work, tagged with the model and dtype that made it so queries never mix models. */
export const workEmbeddings = pgTable(
  'work_embeddings',
  {
    workId: integer('work_id')
      .primaryKey()
      .references(() => works.id, { onDelete: 'cascade' }),
    modelId: text('model_id').notNull(),
    dtype: text('dtype').notNull(),
    /** Hash of the embedded text: identical texts are embedded once and copied. */
    textHash: text('text_hash').notNull(),
    embedding: vector('embedding', { dimensions: DENSE_DIMENSIONS }).notNull(),
    embeddedAt: at('embedded_at').notNull().defaultNow(),
  },
  (table) => [
    index('work_embeddings_embedding_hnsw').using('hnsw', table.embedding.op('vector_cosine_ops')),
    index('work_embeddings_model_text_hash_idx').on(table.modelId, table.textHash),
    index('work_embeddings_embedded_at_idx').on(table.embeddedAt),
  ],
)

/** TF-IDF weights per work, L2-normalised, so inner product is cosine similarity. */
export const workLexical = pgTable(
  'work_lexical',
  {
    workId: integer('work_id')
      .primaryKey()
      .references(() => works.id, { onDelete: 'cascade' }),
    vector: sparsevec('vector', { dimensions: LEXICAL_DIMENSIONS }).notNull(),
    /** Corpus size whose document frequencies weighted this vector; far behind the corpus means stale. */
    corpusSize: integer('corpus_size').notNull(),
    computedAt: at('computed_at').notNull().defaultNow(),
  },
  (table) => [index('work_lexical_corpus_size_idx').on(table.corpusSize)],
)

/** Document frequency per hashed term, for IDF. */
export const lexicalTerms = pgTable('lexical_terms', {
  termHash: integer('term_hash').primaryKey(),
  df: integer('df').notNull(),
})

/**
 * Works waiting for vectors. A trigger on `works` fills it in the same transaction as the write,
 * so a committed work can never be forgotten; workers lease rows with FOR UPDATE SKIP LOCKED.
 */
export const embeddingQueue = pgTable(
  'embedding_queue',
  {
    workId: integer('work_id')
      .primaryKey()
      .references(() => works.id, { onDelete: 'cascade' }),
    enqueuedAt: at('enqueued_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    leasedUntil: at('leased_until'),
    nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    failedAt: at('failed_at'),
  },
  (table) => [
    index('embedding_queue_ready_idx')
      .on(table.nextAttemptAt, table.workId)
      .where(sql`${table.failedAt} is null`),
  ],
)

/** Recency-weighted centroid of a researcher's work vectors: only for finding candidates fast. */
export const researcherEmbeddings = pgTable(
  'researcher_embeddings',
  {
    researcherId: integer('researcher_id')
      .primaryKey()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    modelId: text('model_id').notNull(),
    embedding: vector('embedding', { dimensions: DENSE_DIMENSIONS }).notNull(),
    worksCount: integer('works_count').notNull(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [
    index('researcher_embeddings_embedding_hnsw').using('hnsw', table.embedding.op('vector_cosine_ops')),
  ],
)

/** Researchers whose centroid must be recomputed; filled when their works' vectors change. */
export const researcherRefreshQueue = pgTable('researcher_refresh_queue', {
  researcherId: integer('researcher_id')
    .primaryKey()
    .references(() => researchers.id, { onDelete: 'cascade' }),
  enqueuedAt: at('enqueued_at').notNull().defaultNow(),
})
