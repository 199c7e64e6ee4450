import { count, eq, inArray, type SQL } from 'drizzle-orm'
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core'
import { institutions, researchers, topics, workTopics } from '../../db/schema/index.js'
import type { Database } from '../infra/db/database.js'
import { nameSearch } from '../infra/db/like.js'

export interface InstitutionRow {
  id: number
  name: string
  ror: string | null
  countryCode: string | null
  researchers: number
}

export interface TopicRow {
  id: number
  name: string
  works: number
}

/** Institutions and topics as imported: read-only lookups for filters and settings. */
export class CatalogRepository {
  constructor(private readonly database: Database) {}

  async institution(id: number): Promise<InstitutionRow | null> {
    const [row] = await this.institutionsWhere(eq(institutions.id, id), 1, 0)
    return row ?? null
  }

  /** Best trigram similarity first; the trigram index serves the match. */
  async searchInstitutions(query: string, limit: number, offset: number) {
    const { matches, closestFirst } = nameSearch(institutions.name, query)
    const [items, total] = await Promise.all([
      this.institutionsWhere(matches, limit, offset, closestFirst),
      this.count(institutions, matches),
    ])
    return { items, total }
  }

  async topic(id: number): Promise<TopicRow | null> {
    const [row] = await this.topicsWhere(eq(topics.id, id), 1, 0)
    return row ?? null
  }

  async searchTopics(query: string, limit: number, offset: number) {
    const { matches, closestFirst } = nameSearch(topics.name, query)
    const [items, total] = await Promise.all([
      this.topicsWhere(matches, limit, offset, closestFirst),
      this.count(topics, matches),
    ])
    return { items, total }
  }

  private async count(table: PgTable, where: SQL): Promise<number> {
    const [row] = await this.database.db
      .select({ n: count().mapWith(Number) })
      .from(table)
      .where(where)
    return row?.n ?? 0
  }

  // Counted for the rows of the page only, by index: grouping every match would count the
  // researchers of all of them to show twenty.
  private async institutionsWhere(where: SQL, limit: number, offset: number, first?: SQL) {
    const rows = await this.database.db
      .select({
        id: institutions.id,
        name: institutions.name,
        ror: institutions.ror,
        countryCode: institutions.countryCode,
      })
      .from(institutions)
      .where(where)
      .orderBy(...(first ? [first] : []), institutions.id)
      .limit(limit)
      .offset(offset)
    const counts = await this.countsBy(researchers.institutionId, researchers, rows)
    return rows.map((row) => ({ ...row, researchers: counts.get(row.id) ?? 0 }))
  }

  private async topicsWhere(where: SQL, limit: number, offset: number, first?: SQL) {
    const rows = await this.database.db
      .select({ id: topics.id, name: topics.name })
      .from(topics)
      .where(where)
      .orderBy(...(first ? [first] : []), topics.id)
      .limit(limit)
      .offset(offset)
    const counts = await this.countsBy(workTopics.topicId, workTopics, rows)
    return rows.map((row) => ({ ...row, works: counts.get(row.id) ?? 0 }))
  }

  private async countsBy(
    key: AnyPgColumn,
    table: PgTable,
    rows: { id: number }[],
  ): Promise<Map<number, number>> {
    if (rows.length === 0) return new Map()
    const counted = await this.database.db
      .select({ id: key, n: count().mapWith(Number) })
      .from(table)
      .where(
        inArray(
          key,
          rows.map((r) => r.id),
        ),
      )
      .groupBy(key)
    return new Map(counted.map((c) => [Number(c.id), c.n]))
  }
}
