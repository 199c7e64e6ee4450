import { type SQL, sql } from 'drizzle-orm'
import type { Executor } from './database.js'

/**
 * Rows for a bulk statement as one JSON parameter, read back with `json_to_recordset`. A
 * multi-row VALUES list costs the query builder a parameter object per cell (half a second of
 * CPU for an import batch of 1,000 works and 4,000 authorships, as much as the database spent)
 * and stops at 65,535 parameters; one text parameter costs a JSON.stringify.
 */
export const jsonRows = (rows: readonly object[]) => sql`${wellFormed(JSON.stringify(rows))}::json`

/**
 * JSON.stringify writes a lone surrogate as an escape, which PostgreSQL rejects; as a plain
 * parameter it became U+FFFD on the way out, so it does here too. Paired ones are written as
 * characters, never escaped, and an escaped backslash before `u` is not an escape.
 */
const wellFormed = (json: string) => json.replace(/(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g, '$1\\ufffd')

/** One int[] parameter however many ids: the planner then expects as many rows as there are ids. */
export const intArray = (values: readonly number[]) => sql`${`{${values.join(',')}}`}::int[]`

/** A text[] parameter in PostgreSQL's array syntax: one parameter however many keys. */
export const textArray = (values: readonly string[]) =>
  sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`}::text[]`

/** Raw SQL inside a transaction; rows come back as plain objects on both drivers. */
export async function txRows<T>(tx: Executor, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as T[] | { rows: T[] }
  return Array.isArray(result) ? [...result] : result.rows
}

/**
 * For a transaction whose statements all look rows up by key: a bulk load runs before any ANALYZE
 * (and autovacuum may be off), and without statistics the planner takes a list of a thousand keys
 * for most of the table and scans it, for every batch: the import read all of `works` once per
 * batch. Such plans look expensive enough to JIT-compile; JIT is off for every session
 * (openPostgres). PGlite honours the setting too.
 */
export async function keyLookupsOnly(tx: Executor): Promise<void> {
  await tx.execute(sql`select set_config('enable_seqscan', 'off', true)`)
}
