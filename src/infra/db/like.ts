import { type SQL, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'

/**
 * A LIKE pattern matching the text anywhere, lower-cased, with the caller's `%`, `_` and `\`
 * taken literally: a search for "100%" must not match everything.
 */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * A search by part of a name: the condition, which a trigram index on `lower(name)` serves, and
 * the order that puts the closest names first (to be followed by a tie-breaker).
 */
export function nameSearch(name: AnyPgColumn, query: string): { matches: SQL; closestFirst: SQL } {
  return {
    matches: sql`lower(${name}) like ${containsPattern(query)}`,
    closestFirst: sql`similarity(lower(${name}), ${query.toLowerCase()}) desc`,
  }
}
