/**
 * Expert-search quality on works with known authors. Works up to the split year are loaded; each
 * later work's title and abstract is then searched as if it were a proposal, and its authors who
 * were already active are the experts it should find (the authors-as-experts protocol of expert
 * finding). Runs ExpertsService.search, the code behind POST /v1/experts/search.
 *
 * It also scores every researcher with the full affinity for the first `--exact` queries: how much
 * of that exact top ten the search returns says what shortlisting by index costs, and the exact
 * ranking's own author recall is the ceiling a better shortlist could reach.
 *
 *   npm run eval:experts -- --data FILE --split-year T [--queries 300] [--exact 100] [--database-url URL]
 */
import { fmt, loadEmbedder, parseArgs } from './common.js'
import { loadHistory, readWorks, splitYear } from './works-file.js'

const K = 50

async function main() {
  const args = parseArgs(
    process.argv.slice(2),
    'usage: eval:experts --data FILE --split-year T [--queries N] [--exact N] [--model ID] [--database-url URL]',
  )
  const split = splitYear(args)
  const wantedQueries = Number(args.rest.get('queries') ?? 300)
  const exactQueries = Number(args.rest.get('exact') ?? 100)
  const embedder = await loadEmbedder(args)
  const all = readWorks(args.data)
  const history = all.filter((w) => w.year <= split)
  const active = new Set(history.flatMap((w) => w.authors.map((a) => a.id)))
  // Every n-th later work with an abstract and an author already active: a fixed, spread sample.
  const eligible = all
    .filter(
      (w) => w.year > split && (w.abstract ?? '').trim() !== '' && w.authors.some((a) => active.has(a.id)),
    )
    .sort((a, b) => a.id.localeCompare(b.id))
  const step = Math.max(1, Math.floor(eligible.length / wantedQueries))
  const queries = eligible.filter((_, i) => i % step === 0).slice(0, wantedQueries)

  const { database, services } = await loadHistory(history, split, embedder, args.databaseUrl)
  const dbIds = await services.experts.researcherIdsByExternalId([...active])
  const everyone = [...dbIds.values()]

  const search = { recall: 0, mrr: 0 }
  const exact = { recall: 0, mrr: 0, overlap: 0, searchRecall: 0, searchMrr: 0, n: 0 }
  let searchMs = 0
  for (const [index, work] of queries.entries()) {
    if (index % 50 === 0) process.stderr.write(`  query ${index}/${queries.length}\n`)
    const text = `${work.title}\n${work.abstract}`
    const experts = new Set(work.authors.flatMap((a) => (dbIds.has(a.id) ? [dbIds.get(a.id)!] : [])))
    const started = performance.now()
    const found = (await services.experts.search(text, K)).items.map((h) => h.researcher.id)
    searchMs += performance.now() - started
    const s = quality(found, experts)
    search.recall += s.recall
    search.mrr += s.mrr
    if (index < exactQueries) {
      // As in the search, a researcher whom nothing matches is nobody's expert.
      const scored = (await services.experts.affinity(text, everyone)).items
        .filter((a) => a.score > 0)
        .sort((a, b) => b.score - a.score || a.researcherId - b.researcherId)
        .slice(0, K)
        .map((a) => a.researcherId)
      const e = quality(scored, experts)
      const top = new Set(scored.slice(0, 10))
      exact.recall += e.recall
      exact.mrr += e.mrr
      exact.overlap +=
        top.size === 0 ? 1 : found.slice(0, 10).filter((id) => top.has(id)).length / Math.min(10, top.size)
      exact.searchRecall += s.recall
      exact.searchMrr += s.mrr
      exact.n++
    }
  }
  await database.close()
  const n = queries.length
  process.stdout.write(
    `expert-search T=${split}: ${history.length} works, ${everyone.length} researchers, ${n} queries ` +
      `(later works, their active authors as the experts); ${(searchMs / n).toFixed(0)} ms per search` +
      `${embedder ? `, dense ${embedder.modelId}` : ', lexical only'}\n`,
  )
  process.stdout.write(`search       R@10=${fmt(search.recall / n)} MRR@${K}=${fmt(search.mrr / n)}\n`)
  if (exact.n > 0) {
    const m = exact.n
    process.stdout.write(
      `first ${m}: search R@10=${fmt(exact.searchRecall / m)} MRR@${K}=${fmt(exact.searchMrr / m)}; ` +
        `exact affinity over everyone R@10=${fmt(exact.recall / m)} MRR@${K}=${fmt(exact.mrr / m)}; ` +
        `search top 10 in the exact top 10: ${fmt(exact.overlap / m)}\n`,
    )
  }
}

/** Share of the experts in the top ten, and 1 / rank of the first one (0 beyond the list). */
function quality(ranked: readonly number[], experts: ReadonlySet<number>) {
  const hits = ranked.flatMap((id, i) => (experts.has(id) ? [i + 1] : []))
  return {
    recall: hits.filter((r) => r <= 10).length / Math.max(1, experts.size),
    mrr: hits.length > 0 ? 1 / hits[0]! : 0,
  }
}

await main()
