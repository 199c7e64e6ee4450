/**
 * Collaborator-suggestion quality by temporal link prediction (README of the data set): works up
 * to the split year are loaded into a fresh database, and each query author's candidates are
 * ranked by SuggestionsService.rank, the ranking behind GET /v1/researchers/:id/suggestions.
 * Adamic-Adar runs through the same code with only its weight set.
 *
 *   npm run eval:collab -- --data FILE --split-year T [--model ID --models-dir DIR] [--limit 100]
 */
import { readFileSync } from 'node:fs'
import type { SuggestionWeights } from '../matching/scoring.js'
import { fmt, freshServices, load, loadEmbedder, parseArgs } from './common.js'

interface DataWork {
  id: string
  title: string
  abstract?: string | null
  year: number
  venue?: string | null
  authors: { id: string; name: string }[]
}

const METHODS: Record<string, Partial<SuggestionWeights> | undefined> = {
  service: undefined,
  'adamic-adar': { graph: 0, walk: 0, text: 0, dense: 0, adamicAdar: 1, lastAuthor: 0 },
}

async function main() {
  const args = parseArgs(
    process.argv.slice(2),
    'usage: eval:collab --data FILE --split-year T [--model ID] [--models-dir DIR] [--limit N] [--database-url URL]',
  )
  const split = Number(args.rest.get('split-year'))
  if (!Number.isInteger(split)) {
    process.stderr.write('--split-year T is required\n')
    process.exit(2)
  }
  const limit = Number(args.rest.get('limit') ?? 100)
  const embedder = await loadEmbedder(args)
  const all = readFileSync(args.data, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DataWork)
  const history = all.filter((w) => w.year <= split)
  const future = all.filter((w) => w.year > split)

  const coauthors = new Map<string, Set<string>>()
  const worksOf = new Map<string, number>()
  for (const w of history) {
    const ids = [...new Set(w.authors.map((a) => a.id))]
    for (const a of ids) {
      worksOf.set(a, (worksOf.get(a) ?? 0) + 1)
      const set = coauthors.get(a) ?? new Set()
      for (const b of ids) if (b !== a) set.add(b)
      coauthors.set(a, set)
    }
  }
  const active = [...coauthors.keys()].sort()
  const targets = new Map<string, Set<string>>()
  for (const w of future) {
    const ids = [...new Set(w.authors.map((a) => a.id))].filter((a) => coauthors.has(a))
    for (const a of ids)
      for (const b of ids) {
        if (a === b || coauthors.get(a)!.has(b)) continue
        const set = targets.get(a) ?? new Set()
        set.add(b)
        targets.set(a, set)
      }
  }
  const queries = active.filter((a) => (worksOf.get(a) ?? 0) >= 3 && targets.has(a))

  // Nothing after the split reaches the service; its clock stands at the end of the split year.
  const clock = { now: () => new Date(Date.UTC(split, 11, 31, 12)) }
  const { database, services } = await freshServices(embedder, clock, args.databaseUrl)
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
  const dbIds = await services.experts.researcherIdsByExternalId(active)
  const externalOf = new Map([...dbIds].map(([ext, id]) => [id, ext]))

  const totals = Object.fromEntries(Object.keys(METHODS).map((m) => [m, [0, 0, 0, 0]])) as Record<
    string,
    number[]
  >
  const rankStarted = Date.now()
  for (const [index, a] of queries.entries()) {
    if (index % 100 === 0) process.stderr.write(`  query ${index}/${queries.length}\n`)
    const wanted = targets.get(a)!
    for (const [method, weights] of Object.entries(METHODS)) {
      const ranked = await services.suggestions.rank(dbIds.get(a)!, {
        limit,
        ...(weights ? { weights } : {}),
      })
      // Candidates the service did not rank come after those it did, in id order, as score ties.
      // Ranked ones may score below 0 (the hubness correction): they still come before.
      const order = ranked.map((r) => externalOf.get(r.id)!)
      const seen = new Set(order)
      const excluded = coauthors.get(a)!
      for (const c of active) if (c !== a && !excluded.has(c) && !seen.has(c)) order.push(c)
      const hits = order.flatMap((c, i) => (wanted.has(c) ? [i + 1] : []))
      let dcg = 0
      for (const rank of hits) if (rank <= 20) dcg += 1 / Math.log2(rank + 1)
      let ideal = 0
      for (let i = 1; i <= Math.min(20, wanted.size); i++) ideal += 1 / Math.log2(i + 1)
      const t = totals[method]!
      t[0]! += hits.filter((r) => r <= 10).length / wanted.size
      t[1]! += hits.filter((r) => r <= 20).length / wanted.size
      t[2]! += hits.length > 0 ? 1 / hits[0]! : 0
      t[3]! += dcg / ideal
    }
  }
  await database.close()
  const n = queries.length
  process.stdout.write(
    `collab-linkpred T=${split}: ${history.length} works, ${active.length} active authors, ${n} queries; ` +
      `load ${loadSeconds.toFixed(0)} s, ranking ${((Date.now() - rankStarted) / 1000).toFixed(0)} s` +
      `${embedder ? `, dense ${embedder.modelId}` : ', lexical only'}\n`,
  )
  for (const [method, t] of Object.entries(totals)) {
    process.stdout.write(
      `${method.padEnd(12)} R@10=${fmt(t[0]! / n)} R@20=${fmt(t[1]! / n)} MRR=${fmt(t[2]! / n)} nDCG@20=${fmt(t[3]! / n)}\n`,
    )
  }
  const s = totals['service']!
  const aa = totals['adamic-adar']!
  process.stdout.write(
    `service / adamic-adar: R@10 ${(s[0]! / aa[0]!).toFixed(2)}x  MRR ${(s[2]! / aa[2]!).toFixed(2)}x\n`,
  )
}

await main()
