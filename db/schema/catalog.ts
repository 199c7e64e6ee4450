import { type SQLWrapper, sql } from 'drizzle-orm'
import {
  boolean,
  char,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { accounts } from './accounts.js'

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}

// Latin letters with diacritics, to their base letter: `translate` is immutable, as a stored
// generated column and an expression index need, and takes no extension.
const ACCENTED = 'áàâäãåāăąéèêëēėęěíìîïīįıóòôöõøōőúùûüūůűųñńňçćčšśşžźżýÿłđďťř'
const PLAIN = 'aaaaaaaaaeeeeeeeeiiiiiiioooooooouuuuuuuunnncccssszzzyylddtr'

/**
 * Text lower-cased with its accents dropped: what name searches compare, so that "Nunez" finds
 * "Núñez" and "Núñez" finds "Nunez". The trigram indexes are on this very expression.
 */
export const folded = (text: SQLWrapper) =>
  sql`translate(lower(${text}), '${sql.raw(ACCENTED)}', '${sql.raw(PLAIN)}')`

export const institutions = pgTable(
  'institutions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    externalId: text('external_id').notNull(),
    ror: text('ror'),
    name: text('name').notNull(),
    countryCode: char('country_code', { length: 2 }),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('institutions_external_id_key').on(table.externalId),
    index('institutions_ror_idx').on(table.ror),
    index('institutions_folded_name_trgm_idx').using('gin', sql`${folded(table.name)} gin_trgm_ops`),
  ],
)

/** An author record: public, importable, claimable by one account. */
const fold = (text: string) =>
  `regexp_replace(translate(lower(${text}), '${ACCENTED}', '${PLAIN}'), '[^a-z]+', ' ', 'g')`
// "Folder, Ada" names the family first; otherwise it is the last word and the given name the first.
const familyPart = `case when position(',' in name) > 0 then ${fold("split_part(name, ',', 1)")} else ${fold('name')} end`
const givenPart = `case when position(',' in name) > 0 then ${fold("split_part(name, ',', 2)")} else ${fold('name')} end`
const nameKey = sql.raw(
  `substring(${familyPart} from '([a-z]+) *$') || ' ' || substring(${givenPart} from '^ *([a-z]+)')`,
)

export const researchers = pgTable(
  'researchers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    externalId: text('external_id').notNull(),
    orcid: text('orcid'),
    name: text('name').notNull(),
    /** "family given" (first given name), folded to a–z: how records of one person are paired without an ORCID. */
    nameKey: text('name_key').generatedAlwaysAs(nameKey),
    externalIds: jsonb('external_ids').$type<Record<string, string>>().notNull().default({}),
    institutionId: integer('institution_id').references(() => institutions.id, { onDelete: 'set null' }),
    /** Publication year the current institution was last seen in, so older works never move it back. */
    institutionYear: smallint('institution_year'),
    openToCollaborate: boolean('open_to_collaborate').notNull().default(false),
    /** Set when a claim is approved; one record per account unless an admin merges. */
    claimedByAccountId: integer('claimed_by_account_id').references(() => accounts.id, {
      onDelete: 'set null',
    }),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('researchers_external_id_key').on(table.externalId),
    // Real catalogues hold duplicate author records per ORCID, so ORCID is a lookup, not an identity.
    index('researchers_orcid_idx').on(table.orcid),
    index('researchers_folded_name_trgm_idx').using('gin', sql`${folded(table.name)} gin_trgm_ops`),
    index('researchers_institution_id_idx').on(table.institutionId),
    uniqueIndex('researchers_claimed_by_account_id_key').on(table.claimedByAccountId),
  ],
)

export const works = pgTable(
  'works',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    externalId: text('external_id').notNull(),
    doi: text('doi'),
    title: text('title').notNull(),
    abstract: text('abstract'),
    year: smallint('year'),
    type: text('type'),
    venue: text('venue'),
    externalIds: jsonb('external_ids').$type<Record<string, string>>().notNull().default({}),
    /** Hash of everything imported for the work, so a re-import can tell unchanged from updated. */
    contentHash: text('content_hash').notNull(),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('works_external_id_key').on(table.externalId),
    // Preprint and published versions can share a DOI in catalogues: a lookup, not an identity.
    index('works_doi_idx').on(table.doi),
    index('works_year_idx').on(table.year),
    // Years of a researcher's works by index-only scans: matching orders and filters by them for
    // hundreds of works per request, and reading the wide rows cost most of those statements.
    index('works_id_year_idx').on(table.id, table.year),
  ],
)

export const authorships = pgTable(
  'authorships',
  {
    workId: integer('work_id')
      .notNull()
      .references(() => works.id, { onDelete: 'cascade' }),
    researcherId: integer('researcher_id')
      .notNull()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    position: smallint('position').notNull(),
    institutionIds: integer('institution_ids').array().notNull().default(sql`'{}'::integer[]`),
  },
  (table) => [
    primaryKey({ name: 'authorships_pkey', columns: [table.workId, table.researcherId] }),
    index('authorships_researcher_id_idx').on(table.researcherId, table.workId),
  ],
)

export const topics = pgTable(
  'topics',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    externalId: text('external_id').notNull(),
    name: text('name').notNull(),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('topics_external_id_key').on(table.externalId),
    index('topics_folded_name_trgm_idx').using('gin', sql`${folded(table.name)} gin_trgm_ops`),
  ],
)

export const workTopics = pgTable(
  'work_topics',
  {
    workId: integer('work_id')
      .notNull()
      .references(() => works.id, { onDelete: 'cascade' }),
    topicId: integer('topic_id')
      .notNull()
      .references(() => topics.id, { onDelete: 'cascade' }),
    score: real('score').notNull(),
  },
  (table) => [
    primaryKey({ name: 'work_topics_pkey', columns: [table.workId, table.topicId] }),
    index('work_topics_topic_id_idx').on(table.topicId),
  ],
)

/**
 * A duplicate author record an operator merged into another (catalogues split one person over
 * several records). The duplicate's external id now names the survivor, so importing the
 * catalogue again adds those works to the survivor instead of bringing the duplicate back; the
 * old record id still says where the person went.
 */
export const researcherMerges = pgTable(
  'researcher_merges',
  {
    externalId: text('external_id').primaryKey(),
    researcherId: integer('researcher_id')
      .notNull()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    mergedResearcherId: integer('merged_researcher_id').notNull(),
    mergedByAccountId: integer('merged_by_account_id').references(() => accounts.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('researcher_merges_researcher_id_idx').on(table.researcherId),
    uniqueIndex('researcher_merges_merged_researcher_id_key').on(table.mergedResearcherId),
  ],
)

/**
 * Two records an operator found to be two people, though their names and co-authors made them look
 * like one (GET /v1/admin/duplicates/by-name leaves the pair out from then on). Stored once, low id
 * first; a merge carries the survivor's marks over from the duplicate.
 */
export const distinctResearchers = pgTable(
  'distinct_researchers',
  {
    lowId: integer('low_id')
      .notNull()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    highId: integer('high_id')
      .notNull()
      .references(() => researchers.id, { onDelete: 'cascade' }),
    markedByAccountId: integer('marked_by_account_id').references(() => accounts.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'distinct_researchers_pkey', columns: [table.lowId, table.highId] }),
    index('distinct_researchers_high_id_idx').on(table.highId),
    check('distinct_researchers_ordered', sql`${table.lowId} < ${table.highId}`),
  ],
)
