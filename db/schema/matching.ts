import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  sparsevec,
  text,
  timestamp,
} from 'drizzle-orm/pg-core'
import { researchers } from './catalog.js'
import { LEXICAL_DIMENSIONS } from './embeddings.js'

const at = (name: string) => timestamp(name, { withTimezone: true })

/**
 * Lexical profile per researcher, derived from work_lexical. `centroid` finds experts for a text;
 * `group_centroid` (own centroid plus the co-authors' mean) finds collaborators: it ranked better on
 * the link-prediction set than the own centroid. Both are pruned to at most 300 terms so pgvector's
 * HNSW can index them (sparsevec indexes take at most 1000 non-zeros).
 */
export const researcherLexical = pgTable(
  'researcher_lexical',
  {
    researcherId: integer('researcher_id')
      .primaryKey()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    centroid: sparsevec('centroid', { dimensions: LEXICAL_DIMENSIONS }).notNull(),
    groupCentroid: sparsevec('group_centroid', { dimensions: LEXICAL_DIMENSIONS }).notNull(),
    worksCount: integer('works_count').notNull(),
    /**
     * Share of the researcher's works (with lexical vectors) on which they are the last of two or
     * more authors: in many fields the senior author, who takes on new collaborators more often.
     */
    lastAuthorShare: doublePrecision('last_author_share'),
    computedAt: at('computed_at').notNull().defaultNow(),
  },
  (table) => [
    index('researcher_lexical_centroid_hnsw').using('hnsw', table.centroid.op('sparsevec_ip_ops')),
    index('researcher_lexical_group_centroid_hnsw').using('hnsw', table.groupCentroid.op('sparsevec_ip_ops')),
  ],
)

/**
 * Mean group-centroid similarity of a researcher to their nearest other researchers: how similar
 * the profile looks to everyone (hubness, CSLS). Suggestions subtract it from the text similarity.
 * A table of its own, not a column of researcher_lexical: updates there were not HOT (2 of 6,000
 * on a freshly loaded table) and so re-insert the row into both sparse HNSW indexes, the per-row
 * cost bulk loads drop those indexes to avoid (src/infra/db/deferred-indexes.ts). A row is missing
 * until computed: a new group centroid deletes it, and bulk loads without the HNSW index leave it
 * to `MatchingProfiles.completeHubness`.
 */
export const researcherHubness = pgTable('researcher_hubness', {
  researcherId: integer('researcher_id')
    .primaryKey()
    .references(() => researcherLexical.researcherId, { onDelete: 'cascade' }),
  hubness: doublePrecision('hubness').notNull(),
})

/**
 * Computed suggestion lists, one per researcher and parameter set. A change to the works of a
 * researcher or a co-author marks rows stale rather than deleting them, so the next computation can
 * tell which suggestions are new.
 */
export const suggestionCache = pgTable(
  'suggestion_cache',
  {
    researcherId: integer('researcher_id')
      .notNull()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    paramsHash: text('params_hash').notNull(),
    computedAt: at('computed_at').notNull().defaultNow(),
    staleAt: at('stale_at'),
    payload: jsonb('payload').notNull(),
  },
  (table) => [primaryKey({ name: 'suggestion_cache_pkey', columns: [table.researcherId, table.paramsHash] })],
)

/**
 * The co-author graph, one row per direction: how many works two researchers share and the year of
 * the latest. Triggers on authorships and works keep it in the same transaction as the authorships
 * (migration 0009), so suggestions walk it by primary key instead of self-joining authorships,
 * which cost seconds around prolific co-authors.
 */
export const coauthorEdges = pgTable(
  'coauthor_edges',
  {
    researcherId: integer('researcher_id')
      .notNull()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    coauthorId: integer('coauthor_id')
      .notNull()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    jointWorks: integer('joint_works').notNull(),
    lastYear: integer('last_year'),
  },
  (table) => [
    primaryKey({ name: 'coauthor_edges_pkey', columns: [table.researcherId, table.coauthorId] }),
    // The walk reads every edge of hundreds of researchers per request; from the heap that is a
    // page per few edges, as rows are written in import order. Index-only, a researcher's edges
    // sit together.
    index('coauthor_edges_walk_idx').on(
      table.researcherId,
      table.coauthorId,
      table.jointWorks,
      table.lastYear,
    ),
  ],
)

/**
 * Candidates the claimant asked not to be suggested again ("not interested"). Applied when a list
 * is picked from the stored ranking, so dismissing needs no recomputation. Part of the claimant's
 * edits: a released record starts without them.
 */
export const dismissedSuggestions = pgTable(
  'dismissed_suggestions',
  {
    researcherId: integer('researcher_id')
      .notNull()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    dismissedResearcherId: integer('dismissed_researcher_id')
      .notNull()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    dismissedAt: at('dismissed_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({
      name: 'dismissed_suggestions_pkey',
      columns: [table.researcherId, table.dismissedResearcherId],
    }),
    // A record's candidate is removed with it; this finds the lists that name it.
    index('dismissed_suggestions_dismissed_idx').on(table.dismissedResearcherId),
  ],
)
