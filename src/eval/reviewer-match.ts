/**
 * Expert-affinity quality on a reviewer-match layout (README of the data set): each sample is
 * loaded into a fresh database and every (researcher, rated paper) pair is scored through
 * ExpertsService.affinity, the code behind POST /v1/experts/affinity.
 *
 *   npm run eval:reviewer-match -- --data DIR [--model ID --models-dir DIR]
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dataPath, fmt, freshServices, load, loadEmbedder, parseArgs } from './common.js'

interface ProfileWork {
  id: string
  title: string
  abstract?: string | null
  year?: number | null
  authors?: string[]
}
interface Profile {
  researcher_id: string
  name: string
  works: ProfileWork[]
}
interface Paper {
  id: string
  title: string
  abstract?: string | null
}

const readJsonl = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T)

/** loss as defined by the data set: |a−b| per wrongly ordered pair, half for a tie. */
export function rankingLoss(
  ratings: Map<string, [string, number][]>,
  scores: Map<string, Map<string, number>>,
) {
  let num = 0
  let den = 0
  let easy = 0
  let easyN = 0
  let hard = 0
  let hardN = 0
  for (const [researcher, rated] of ratings) {
    const sc = scores.get(researcher)
    if (!sc) continue
    for (let i = 0; i < rated.length; i++)
      for (let j = i + 1; j < rated.length; j++) {
        let [pa, a] = rated[i]!
        let [pb, b] = rated[j]!
        if (a === b) continue
        if (a < b) [pa, pb, a, b] = [pb, pa, b, a]
        const sa = sc.get(pa)
        const sb = sc.get(pb)
        if (sa === undefined || sb === undefined) continue
        const wrong = sa < sb ? 1 : sa === sb ? 0.5 : 0
        num += (a - b) * wrong
        den += a - b
        if (a >= 4 && b <= 2) {
          easy += 1 - wrong
          easyN++
        }
        if (b >= 4) {
          hard += 1 - wrong
          hardN++
        }
      }
  }
  return { loss: num / den, easy: easy / easyN, hard: hard / hardN }
}

function openAlexWorks(profiles: Profile[]): unknown[] {
  const works = new Map<string, { work: ProfileWork; authors: Map<string, string> }>()
  for (const p of profiles) {
    for (const w of p.works) {
      let entry = works.get(w.id)
      if (!entry) {
        entry = { work: w, authors: new Map() }
        // Co-authors are names only; a name-derived id keeps them apart from the rated researchers.
        for (const name of w.authors ?? []) if (name !== p.name) entry.authors.set(`name:${name}`, name)
        works.set(w.id, entry)
      }
      entry.authors.delete(`name:${p.name}`)
      entry.authors.set(`rm:${p.researcher_id}`, p.name)
    }
  }
  return [...works.values()].map(({ work, authors }) => ({
    id: `rm-work:${work.id}`,
    title: work.title,
    abstract: work.abstract ?? null,
    publication_year: work.year ?? null,
    authorships: [...authors].map(([id, name]) => ({ author: { id, display_name: name } })),
  }))
}

async function main() {
  const args = parseArgs(
    process.argv.slice(2),
    'usage: eval:reviewer-match --data DIR [--model ID] [--models-dir DIR] [--database-url URL]',
  )
  const embedder = await loadEmbedder(args)
  const papers = new Map(readJsonl<Paper>(dataPath(args.data, 'papers.jsonl')).map((p) => [p.id, p]))
  const ratings = new Map<string, [string, number][]>()
  for (const line of readFileSync(dataPath(args.data, 'ratings.tsv'), 'utf8').split('\n').slice(1)) {
    const [researcher, paper, expertise] = line.split('\t')
    if (!researcher || !paper || !expertise) continue
    const list = ratings.get(researcher) ?? []
    list.push([paper, Number(expertise)])
    ratings.set(researcher, list)
  }
  const samples = readdirSync(dataPath(args.data, 'profiles'))
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
  const totals = { loss: 0, easy: 0, hard: 0 }
  const started = Date.now()
  for (const sample of samples) {
    const profiles = readJsonl<Profile>(dataPath(args.data, 'profiles', sample))
    const { database, services } = await freshServices(embedder, undefined, args.databaseUrl)
    await load(database, services, openAlexWorks(profiles))
    const ids = await services.experts.researcherIdsByExternalId(profiles.map((p) => `rm:${p.researcher_id}`))
    const scores = new Map<string, Map<string, number>>()
    for (const p of profiles) {
      const rated = ratings.get(p.researcher_id)
      const id = ids.get(`rm:${p.researcher_id}`)
      if (!rated || id === undefined) continue
      const byPaper = new Map<string, number>()
      for (const [paperId] of rated) {
        const paper = papers.get(paperId)
        if (!paper) continue
        const text = `${paper.title}\n${paper.abstract ?? ''}`
        const { items } = await services.experts.affinity(text, [id])
        byPaper.set(paperId, items[0]!.score)
      }
      scores.set(p.researcher_id, byPaper)
    }
    await database.close()
    const result = rankingLoss(ratings, scores)
    totals.loss += result.loss
    totals.easy += result.easy
    totals.hard += result.hard
    process.stdout.write(
      `${sample}: loss=${fmt(result.loss)} easy=${fmt(result.easy)} hard=${fmt(result.hard)}\n`,
    )
  }
  const n = samples.length
  process.stdout.write(
    `reviewer-match (${n} sample${n === 1 ? '' : 's'}, ${embedder ? `dense ${embedder.modelId} + lexical` : 'lexical only'}, ${((Date.now() - started) / 1000).toFixed(0)} s): ` +
      `loss=${fmt(totals.loss / n)} easy=${fmt(totals.easy / n)} hard=${fmt(totals.hard / n)}\n`,
  )
}

await main()
