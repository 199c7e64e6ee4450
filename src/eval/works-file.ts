/**
 * A works file in the collab-linkpred layout (one `{id, title, abstract, year, venue, authors}` a
 * line), split at a year, with the history loaded into a fresh database as the service would hold
 * it at the end of that year. Shared by the evaluations that use that layout.
 */
import { readFileSync } from 'node:fs'
import type { Services } from '../app.js'
import type { Database } from '../infra/db/database.js'
import type { Embedder } from '../infra/embedder/embedder.js'
import { type EvalArgs, freshServices, load } from './common.js'

export interface DataWork {
  id: string
  title: string
  abstract?: string | null
  year: number
  venue?: string | null
  authors: { id: string; name: string }[]
}

export function splitYear(args: EvalArgs): number {
  const split = Number(args.rest.get('split-year'))
  if (!Number.isInteger(split)) {
    process.stderr.write('--split-year T is required\n')
    process.exit(2)
  }
  return split
}

export function readWorks(path: string): DataWork[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DataWork)
}

/**
 * The works up to the split year in a fresh database, imported through the public batch path.
 * Nothing after the split reaches the service; its clock stands at the end of the split year.
 */
export async function loadHistory(
  history: readonly DataWork[],
  split: number,
  embedder: Embedder | null,
  databaseUrl: string | null,
): Promise<{ database: Database; services: Services; loadSeconds: number }> {
  const clock = { now: () => new Date(Date.UTC(split, 11, 31, 12)) }
  const { database, services } = await freshServices(embedder, clock, databaseUrl)
  const started = Date.now()
  await load(
    database,
    services,
    history.map((w) => ({
      id: `work:${w.id}`,
      title: w.title,
      abstract: w.abstract ?? null,
      publication_year: w.year,
      venue: w.venue ?? null,
      authorships: w.authors.map((a) => ({ author: { id: a.id, display_name: a.name } })),
    })),
    (message) => process.stderr.write(`${message}\n`),
  )
  const loadSeconds = (Date.now() - started) / 1000
  process.stderr.write(`loaded ${history.length} works in ${loadSeconds.toFixed(0)} s\n`)
  return { database, services, loadSeconds }
}
