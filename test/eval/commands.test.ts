import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'

// Both evaluation commands must run unchanged on any data set of the shared layouts; these are
// small constructed ones whose right answers are known.
const run = promisify(execFile)
const evalCommand = (script: string, args: string[]) =>
  run(process.execPath, ['--import', 'tsx', `src/eval/${script}`, ...args], {
    maxBuffer: 16 * 1024 * 1024,
  })
const databaseArgs = () =>
  process.env['TEST_DATABASE_URL'] ? ['--database-url', process.env['TEST_DATABASE_URL']] : []

const TOPICS = [
  'protein folding enzyme ligand binding kinase crystal structure residue mutation assay',
  'glacier ice sheet melt sea level ocean warming arctic snow climate',
  'compiler register allocation loop vectorization bytecode optimizer inlining parser',
]
const words = (topic: number, seed: number, n = 14) => {
  const vocabulary = TOPICS[topic]!.split(' ')
  return Array.from({ length: n }, (_, i) => vocabulary[(seed * 7 + i * 3) % vocabulary.length]).join(' ')
}

t.test('eval:reviewer-match orders papers by the rater’s own topic', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'collabmatch-rm-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  mkdirSync(join(dir, 'profiles'))
  const papers = TOPICS.flatMap((_, topic) =>
    [0, 1].map((k) => ({
      id: `p${topic}${k}`,
      title: words(topic, k, 6),
      abstract: words(topic, k + 5),
      year: 2023,
      authors: ['X'],
    })),
  )
  writeFileSync(join(dir, 'papers.jsonl'), papers.map((p) => JSON.stringify(p)).join('\n'))
  const researchers = TOPICS.flatMap((_, topic) => [0, 1].map((k) => ({ id: `${topic}${k}`, topic })))
  const ratings = ['researcher_id\tpaper_id\texpertise']
  for (const r of researchers)
    for (const p of papers) ratings.push(`${r.id}\t${p.id}\t${p.id[1] === String(r.topic) ? '5.0' : '1.0'}`)
  writeFileSync(join(dir, 'ratings.tsv'), ratings.join('\n'))
  for (const sample of ['sample-01']) {
    const lines = researchers.map((r) =>
      JSON.stringify({
        researcher_id: r.id,
        name: `Researcher ${r.id}`,
        works: [0, 1, 2].map((w) => ({
          id: `${sample}-${r.id}-${w}`,
          title: words(r.topic, w + Number(r.id), 5),
          abstract: words(r.topic, w + 2),
          year: 2020 + w,
          authors: [`Researcher ${r.id}`],
        })),
      }),
    )
    writeFileSync(join(dir, 'profiles', `${sample}.jsonl`), lines.join('\n'))
  }
  const { stdout } = await evalCommand('reviewer-match.ts', ['--data', dir, ...databaseArgs()])
  t.match(stdout, /sample-01\.jsonl: loss=/)
  const summary = /reviewer-match \(1 sample, lexical only, \d+ s\): loss=([\d.]+) easy=([\d.]+) hard=/.exec(
    stdout,
  )
  t.ok(summary, stdout)
  t.ok(Number(summary![1]) < 0.05, `loss ${summary![1]} on topics that do not overlap`)
  t.equal(Number(summary![2]), 1, 'every easy pair in order')
})

t.test(
  'eval:collab finds collaborators two hops away and reports Adamic-Adar beside the service',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'collabmatch-lp-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const author = (group: number, k: number) => ({ id: `g${group}a${k}`, name: `Author ${group}-${k}` })
    const works: unknown[] = []
    let n = 0
    // Four groups, more candidates than a top 10 holds; inside each, a chain of co-authorships up
    // to 2022. Groups 0 and 3 share a topic: text alone cannot tell their members apart.
    const groups = [0, 1, 2, 3]
    for (const group of groups)
      for (let k = 0; k < 5; k++)
        for (const year of [2020, 2021, 2022])
          works.push({
            id: `w${n++}`,
            title: words(group % 3, k + year, 5),
            abstract: words(group % 3, k + year + 1),
            year,
            venue: 'Test',
            authors: [author(group, k), author(group, k + 1)],
          })
    // After the split: each author starts working with the one two steps along the chain.
    for (const group of groups)
      for (let k = 0; k < 4; k++)
        works.push({
          id: `w${n++}`,
          title: words(group % 3, k, 5),
          abstract: words(group % 3, k + 3),
          year: 2024,
          venue: 'Test',
          authors: [author(group, k), author(group, k + 2)],
        })
    // A tie Adamic-Adar cannot break: S0 and its co-author Z each wrote one work with S1 and with
    // S2 (Z has three co-authors); after the split S0 works with S2, the one on S0's topic.
    const star = (k: number) => ({ id: `s${k}`, name: `Star ${k}` })
    const z = { id: 'z', name: 'Zed' }
    for (const year of [2020, 2021, 2022])
      works.push({
        id: `w${n++}`,
        title: words(1, year, 5),
        abstract: words(1, year + 1),
        year,
        authors: [star(0), z],
      })
    works.push({
      id: `w${n++}`,
      title: words(2, 1, 5),
      abstract: words(2, 2),
      year: 2022,
      authors: [z, star(1)],
    })
    works.push({
      id: `w${n++}`,
      title: words(1, 3, 5),
      abstract: words(1, 4),
      year: 2022,
      authors: [z, star(2)],
    })
    works.push({
      id: `w${n++}`,
      title: words(1, 5, 5),
      abstract: words(1, 6),
      year: 2024,
      authors: [star(0), star(2)],
    })
    const file = join(dir, 'works.jsonl')
    writeFileSync(file, works.map((w) => JSON.stringify(w)).join('\n'))
    const { stdout } = await evalCommand('collab-linkpred.ts', [
      '--data',
      file,
      '--split-year',
      '2022',
      ...databaseArgs(),
    ])
    t.match(stdout, /collab-linkpred T=2022: 65 works, 28 active authors, 25 queries/)
    const service = /service\s+R@10=([\d.]+) R@20=([\d.]+) MRR=([\d.]+) nDCG@20=([\d.]+)/.exec(stdout)
    const adamicAdar = /adamic-adar\s+R@10=([\d.]+) R@20=[\d.]+ MRR=([\d.]+) nDCG@20=[\d.]+/.exec(stdout)
    t.ok(service && adamicAdar, stdout)
    t.equal(Number(service![1]), 1, 'every target in the top 10: they are two hops away')
    t.equal(Number(service![3]), 1, 'a target first')
    t.equal(Number(adamicAdar![1]), 1, 'Adamic-Adar finds them too: they share a co-author')
    // S1 and S2 tie for S0: the target first or second with equal odds, 1/2·1 + 1/2·1/2 = 3/4.
    t.equal(Number(adamicAdar![2]), 0.99, 'its tie counts at its expected place: (24 + 3/4) / 25')
    t.match(
      stdout,
      /service \/ adamic-adar: R@10 [\d.]+x \(95% CI [\d.]+–[\d.]+\) {2}MRR [\d.]+x \(95% CI [\d.]+–[\d.]+\)/,
    )
  },
)

t.test('eval:experts finds a later work’s authors among the experts on its topic', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'collabmatch-ex-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const works: unknown[] = []
  let n = 0
  // Three topics of four specialists each, three works apiece up to 2022; in 2024 each of them
  // writes one more on their own topic, alone. Their own earlier works are the closest: the search
  // should put each author among the four of their topic.
  for (const topic of [0, 1, 2])
    for (let k = 0; k < 4; k++) {
      const author = { id: `t${topic}r${k}`, name: `Researcher ${topic}-${k}` }
      for (const year of [2020, 2021, 2022])
        works.push({
          id: `w${n++}`,
          title: words(topic, k + year, 5),
          abstract: words(topic, k + year + 1),
          year,
          authors: [author],
        })
      works.push({
        id: `w${n++}`,
        title: words(topic, k + 2021, 5),
        abstract: words(topic, k + 2022),
        year: 2024,
        authors: [author, { id: `new${n}`, name: 'Newcomer' }],
      })
    }
  const file = join(dir, 'works.jsonl')
  writeFileSync(file, works.map((w) => JSON.stringify(w)).join('\n'))
  const { stdout } = await evalCommand('expert-search.ts', [
    '--data',
    file,
    '--split-year',
    '2022',
    '--queries',
    '12',
    '--exact',
    '12',
    ...databaseArgs(),
  ])
  t.match(stdout, /expert-search T=2022: 36 works, 12 researchers, 12 queries/)
  const search = /search\s+R@10=([\d.]+) MRR@50=([\d.]+)/.exec(stdout)
  const exact =
    /exact affinity over everyone R@10=([\d.]+) MRR@50=([\d.]+); search top 10 in the exact top 10: ([\d.]+)/.exec(
      stdout,
    )
  t.ok(search && exact, stdout)
  t.equal(Number(search![1]), 1, 'every author in the top 10')
  t.ok(Number(search![2]) >= 0.25, `the author among the four of their topic (MRR ${search![2]})`)
  t.equal(Number(exact![3]), 1, 'twelve researchers all fit the shortlist: the search is exact')
})
