import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import t from 'tap'
import { runGenerate } from '../../src/generate/cli.js'
import { type GenerateOptions, generateWorks } from '../../src/generate/generator.js'
import { isValidOrcid, orcidCheckChar, rorFromNumber } from '../../src/generate/ids.js'

interface Work {
  id: string
  display_name: string
  title: string
  abstract_inverted_index?: Record<string, number[]>
  abstract?: string
  publication_year: number
  type: string
  doi: string | null
  primary_location: { source: { display_name: string } }
  authorships: {
    author_position: string
    author: { id: string; display_name: string; orcid: string | null }
    institutions: { id: string; display_name: string; ror: string; country_code: string }[]
  }[]
  topics: { id: string; display_name: string; score: number }[]
}

class MemorySink extends Writable {
  chunks: Buffer[] = []
  constructor(private readonly slow = false) {
    // A tiny buffer makes write() return false almost every time, exercising the drain path.
    super({ highWaterMark: slow ? 1024 : 16 * 1024 })
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error) => void): void {
    this.chunks.push(chunk)
    if (this.slow) setImmediate(done)
    else done()
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8')
  }
}

let drains = 0

async function generate(options: GenerateOptions, slow = false): Promise<string> {
  const sink = new MemorySink(slow)
  sink.on('drain', () => drains++)
  await generateWorks(sink, options)
  return sink.text()
}

const OPTIONS: GenerateOptions = { works: 2000, researchers: 500, seed: 42, startYear: 2005, endYear: 2024 }
const text = await generate(OPTIONS)
const lines = text.split('\n')
const works: Work[] = []

t.test('writes one parseable work per line', async (t) => {
  t.equal(lines.pop(), '', 'output ends with a newline')
  t.equal(lines.length, OPTIONS.works)
  for (const line of lines) works.push(JSON.parse(line) as Work)
  t.equal(works.length, OPTIONS.works)
})

t.test('every work has the OpenAlex fields', async (t) => {
  const types = new Set(['article', 'preprint', 'book-chapter', 'dataset', 'review'])
  let bad = 0
  for (const w of works) {
    const ok =
      /^https:\/\/openalex\.org\/W\d+$/.test(w.id) &&
      typeof w.title === 'string' &&
      w.title === w.display_name &&
      Number.isInteger(w.publication_year) &&
      w.publication_year >= 2005 &&
      w.publication_year <= 2024 &&
      types.has(w.type) &&
      (w.doi === null || /^https:\/\/doi\.org\/10\.\d{4,5}\/\S+$/.test(w.doi)) &&
      typeof w.primary_location.source.display_name === 'string' &&
      w.authorships.length >= 1 &&
      w.authorships.length <= 12 &&
      w.topics.length >= 1 &&
      w.topics.length <= 3
    if (!ok) bad++
    for (const a of w.authorships) {
      if (!/^https:\/\/openalex\.org\/A\d+$/.test(a.author.id) || a.author.display_name.length < 3) bad++
      if (a.institutions.length < 1) bad++
      for (const i of a.institutions) {
        if (
          !/^https:\/\/openalex\.org\/I\d+$/.test(i.id) ||
          !/^https:\/\/ror\.org\/0[0-9a-z]{8}$/.test(i.ror)
        )
          bad++
        if (!/^[A-Z]{2}$/.test(i.country_code) || i.display_name.length === 0) bad++
      }
    }
    for (let k = 0; k < w.topics.length; k++) {
      const topic = w.topics[k]!
      if (!/^https:\/\/openalex\.org\/T\d+$/.test(topic.id) || !(topic.score > 0 && topic.score <= 1)) bad++
      if (k > 0 && topic.score > w.topics[k - 1]!.score) bad++
    }
  }
  t.equal(bad, 0, 'no malformed works')
})

t.test('work ids and DOIs are unique; most works have a DOI', async (t) => {
  t.equal(new Set(works.map((w) => w.id)).size, works.length)
  const dois = works.map((w) => w.doi).filter((d): d is string => d !== null)
  t.equal(new Set(dois).size, dois.length)
  t.ok(dois.length / works.length > 0.85, `${dois.length} works with a DOI`)
})

t.test('ORCIDs are valid, about 40% of authors have one, and authors are stable', async (t) => {
  t.equal(orcidCheckChar('000000021825009'), '7', 'known ORCID 0000-0002-1825-0097')
  t.ok(isValidOrcid('https://orcid.org/0000-0002-1694-233X'))
  t.notOk(isValidOrcid('https://orcid.org/0000-0002-1694-2339'))
  const seen = new Map<string, string>()
  let conflicts = 0
  let invalid = 0
  for (const w of works) {
    for (const { author } of w.authorships) {
      if (author.orcid !== null && !isValidOrcid(author.orcid)) invalid++
      const key = `${author.display_name}|${author.orcid}`
      const prev = seen.get(author.id)
      if (prev !== undefined && prev !== key) conflicts++
      seen.set(author.id, key)
    }
  }
  t.equal(invalid, 0, 'all ORCID checksums valid')
  t.equal(conflicts, 0, 'an author id always has the same name and ORCID')
  const orcids = [...seen.values()].map((v) => v.split('|')[1]).filter((o) => o !== 'null')
  t.equal(new Set(orcids).size, orcids.length, 'no two authors share an ORCID')
  const share = orcids.length / seen.size
  t.ok(share > 0.3 && share < 0.5, `ORCID share ${share.toFixed(2)}`)
})

t.test('ROR checksums match real ROR ids', async (t) => {
  const crockford = '0123456789abcdefghjkmnpqrstvwxyz'
  for (const ror of ['03vek6s52', '042nb2s44', '00f54p054', '052gg0110']) {
    let n = 0
    for (const ch of ror.slice(1, 7)) n = n * 32 + crockford.indexOf(ch)
    t.equal(rorFromNumber(n), `https://ror.org/${ror}`)
  }
})

t.test('abstracts: ~70% inverted index, ~25% plain, ~5% missing; indexes reconstruct', async (t) => {
  let inverted = 0
  let plain = 0
  let broken = 0
  const lengths: number[] = []
  for (const w of works) {
    if (w.abstract_inverted_index !== undefined) {
      inverted++
      if (w.abstract !== undefined) broken++
      const slots: string[] = []
      for (const [word, positions] of Object.entries(w.abstract_inverted_index)) {
        for (const p of positions) {
          if (slots[p] !== undefined) broken++
          slots[p] = word
        }
      }
      // Every position 0..n-1 is filled exactly once and the words rebuild a plain sentence.
      if (slots.some((s) => s === undefined) || Object.keys(slots).length !== slots.length) broken++
      const rebuilt = slots.join(' ')
      if (!/^[^a-z].*\.$/.test(rebuilt)) broken++
      lengths.push(slots.length)
    } else if (w.abstract !== undefined) {
      plain++
      lengths.push(w.abstract.split(' ').length)
    }
  }
  const n = works.length
  t.equal(broken, 0, 'inverted indexes are complete and consistent')
  t.ok(inverted / n > 0.64 && inverted / n < 0.76, `inverted ${inverted}`)
  t.ok(plain / n > 0.2 && plain / n < 0.3, `plain ${plain}`)
  const missing = n - inverted - plain
  t.ok(missing / n > 0.02 && missing / n < 0.09, `missing ${missing}`)
  const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length
  t.ok(Math.min(...lengths) >= 100 && Math.max(...lengths) <= 280, 'abstract lengths near 120–250 words')
  t.ok(mean > 150 && mean < 220, `mean abstract length ${mean.toFixed(0)}`)
  const titleLengths = works.map((w) => w.title.split(' ').length)
  const inRange = titleLengths.filter((l) => l >= 8 && l <= 14).length
  t.ok(inRange / n > 0.95, 'titles are mostly 8–14 words')
})

t.test('authorships: positions, no duplicates, 1–12 authors with mode 3–4', async (t) => {
  const counts = new Array<number>(13).fill(0)
  let bad = 0
  for (const w of works) {
    const a = w.authorships
    counts[a.length]!++
    if (new Set(a.map((x) => x.author.id)).size !== a.length) bad++
    a.forEach((x, k) => {
      const expected = k === 0 ? 'first' : k === a.length - 1 ? 'last' : 'middle'
      if (x.author_position !== expected) bad++
    })
  }
  t.equal(bad, 0)
  const mode = counts.indexOf(Math.max(...counts))
  t.ok(mode === 3 || mode === 4, `mode ${mode}`)
  t.ok(counts[1]! > 0 && counts[12]! >= 0, 'single-author works exist')
})

t.test('productivity is skewed: a few authors have many works', async (t) => {
  const perAuthor = new Map<string, number>()
  for (const w of works)
    for (const a of w.authorships) perAuthor.set(a.author.id, (perAuthor.get(a.author.id) ?? 0) + 1)
  const counts = [...perAuthor.values()].sort((a, b) => a - b)
  const median = counts[Math.floor(counts.length / 2)]!
  const max = counts[counts.length - 1]!
  t.ok(max > 5 * median, `max ${max} vs median ${median}`)
})

t.test('co-authorship has community structure', async (t) => {
  // Chance level: two authorships drawn independently share an institution with probability
  // Σ p_i², where p_i is an institution's share of all authorships.
  const share = new Map<string, number>()
  let total = 0
  let pairs = 0
  let samePlace = 0
  const pairCount = new Map<string, number>()
  for (const w of works) {
    const insts = w.authorships.map((a) => new Set(a.institutions.map((i) => i.id)))
    for (const set of insts) {
      for (const i of set) share.set(i, (share.get(i) ?? 0) + 1)
      total += set.size
    }
    for (let x = 0; x < insts.length; x++) {
      for (let y = x + 1; y < insts.length; y++) {
        pairs++
        if ([...insts[x]!].some((i) => insts[y]!.has(i))) samePlace++
        const key = [w.authorships[x]!.author.id, w.authorships[y]!.author.id].sort().join()
        pairCount.set(key, (pairCount.get(key) ?? 0) + 1)
      }
    }
  }
  let chance = 0
  for (const c of share.values()) chance += (c / total) ** 2
  const observed = samePlace / pairs
  t.ok(
    observed > 2 * chance && observed - chance > 0.25,
    `same-institution pairs ${observed.toFixed(2)} vs chance ${chance.toFixed(2)}`,
  )
  const repeated = [...pairCount.values()].filter((c) => c > 1).length / pairCount.size
  t.ok(repeated > 0.2, `${(repeated * 100).toFixed(0)}% of co-author pairs collaborate more than once`)
  const crossInstitution = pairs - samePlace
  t.ok(crossInstitution / pairs > 0.1, 'cross-institution collaborations also happen')
})

t.test('works on the same topic are lexically closer than works on different topics', async (t) => {
  const sample = works
    .filter((w) => w.abstract !== undefined || w.abstract_inverted_index !== undefined)
    .slice(0, 400)
  const bags = sample.map((w) => {
    const source = w.abstract ?? Object.keys(w.abstract_inverted_index ?? {}).join(' ')
    return new Set(
      `${w.title} ${source}`
        .toLowerCase()
        .split(/[^a-z0-9-]+/)
        .filter((x) => x.length > 2),
    )
  })
  // Drop words most abstracts use (the shared academic phrasing), as tf-idf would.
  const df = new Map<string, number>()
  for (const bag of bags) for (const x of bag) df.set(x, (df.get(x) ?? 0) + 1)
  const sets = bags.map((bag) => new Set([...bag].filter((x) => df.get(x)! < bags.length * 0.2)))
  const jaccard = (a: Set<string>, b: Set<string>): number => {
    let inter = 0
    for (const x of a) if (b.has(x)) inter++
    return inter / (a.size + b.size - inter || 1)
  }
  let same = 0
  let sameN = 0
  let diff = 0
  let diffN = 0
  for (let i = 0; i < sample.length; i++) {
    for (let j = i + 1; j < sample.length; j++) {
      const s = jaccard(sets[i]!, sets[j]!)
      if (sample[i]!.topics[0]!.id === sample[j]!.topics[0]!.id) {
        same += s
        sameN++
      } else {
        diff += s
        diffN++
      }
    }
  }
  t.ok(sameN > 0 && diffN > 0)
  const ratio = same / sameN / (diff / diffN)
  t.ok(ratio > 3, `same-topic similarity ${(same / sameN).toFixed(3)} is ${ratio.toFixed(1)}× other pairs`)
})

t.test('deterministic for a seed, different across seeds', async (t) => {
  const small: GenerateOptions = { works: 300, researchers: 80, seed: 7 }
  const a = await generate(small)
  const b = await generate(small)
  t.equal(a, b, 'same seed gives identical bytes')
  const c = await generate({ ...small, seed: 8 })
  t.not(a, c, 'another seed gives other output')
  t.equal(text, await generate(OPTIONS), 'the large run is reproducible too')
})

t.test('waits for drain on a slow stream and still writes everything', async (t) => {
  const small: GenerateOptions = { works: 300, researchers: 80, seed: 7 }
  const fast = await generate(small)
  drains = 0
  t.equal(await generate(small, true), fast)
  t.ok(drains > 0, `waited for ${drains} drain events`)
})

t.test('rejects invalid options', async (t) => {
  const sink = new MemorySink()
  await t.rejects(generateWorks(sink, { works: -1, researchers: 10 }), /works/)
  await t.rejects(generateWorks(sink, { works: 10, researchers: 0 }), /researchers/)
  await t.rejects(generateWorks(sink, { works: 10, researchers: 10, startYear: 2020, endYear: 2010 }), /year/)
})

t.test('CLI writes a file and rejects bad arguments', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'collabmatch-generate-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const out = join(dir, 'works.jsonl')
  // The CLI reports progress on stderr; keep the test output readable.
  const write = process.stderr.write
  const messages: string[] = []
  process.stderr.write = ((chunk: string | Uint8Array) => {
    messages.push(String(chunk))
    return true
  }) as typeof process.stderr.write
  try {
    await runGenerate(['--works', '150', '--researchers', '40', '--seed', '3', '--out', out])
    await t.rejects(runGenerate(['--works', 'many']), /--works must be an integer/)
    await t.rejects(runGenerate(['--researchers', '10']), /--works is required/)
    await t.rejects(runGenerate(['--works', '10', '--bogus']), /bogus/)
    await t.rejects(
      runGenerate(['--works', '10', '--start-year', '2020', '--end-year', '2010']),
      /start-year/,
    )
  } finally {
    process.stderr.write = write
  }
  const written = (await readFile(out, 'utf8')).trimEnd().split('\n')
  t.equal(written.length, 150)
  t.equal(written.join('\n'), (await generate({ works: 150, researchers: 40, seed: 3 })).trimEnd())
  t.match(messages.join(''), /wrote 150 works/)
})
