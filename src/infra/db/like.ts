import { type SQL, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import { folded } from '../../../db/schema/catalog.js'

/**
 * A LIKE pattern matching the text anywhere, lower-cased, with the caller's `%`, `_` and `\`
 * taken literally: a search for "100%" must not match everything.
 */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * A search by part of a name, accents aside: the condition, which the trigram index on the
 * folded name serves, and the order that puts the closest names first (to be followed by a
 * tie-breaker). The query is folded by the same SQL as the names; composed first (NFC), so a
 * decomposed "Ö" (O and a combining mark) folds as "Ö" does.
 */
export function nameSearch(name: AnyPgColumn, query: string): { matches: SQL; closestFirst: SQL } {
  const text = query.normalize('NFC')
  return {
    matches: sql`${folded(name)} like ${folded(sql`${containsPattern(text)}::text`)}`,
    closestFirst: sql`similarity(${folded(name)}, ${folded(sql`${text}::text`)}) desc`,
  }
}
