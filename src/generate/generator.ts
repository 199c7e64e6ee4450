import { IdPermutation } from './ids.js'
import { packed } from './lists.js'
import { Rng, WeightedChoice } from './random.js'
import { invertedIndexJson, TextGenerator } from './text.js'
import { buildWorld, ROLE_PI, type World } from './world.js'

export interface GenerateOptions {
  works: number
  researchers: number
  institutions?: number
  topics?: number
  seed?: number
  startYear?: number
  endYear?: number
}

export interface GenerateSummary {
  works: number
  researchers: number
  institutions: number
  topics: number
  /** UTF-8 bytes written. */
  bytes: number
}

// Authors per work: 1–12 with the mode at 3–4, as in most of the sciences.
const AUTHOR_COUNT = new WeightedChoice(
  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  [5, 11, 19, 19, 14, 10, 7, 5, 3, 3, 2, 2],
)
const WORK_TYPE = new WeightedChoice(
  packed('article preprint review book-chapter dataset'),
  [76, 10, 6, 4, 4],
)
const DOI_PREFIXES = packed(
  '10.1016 10.1007 10.1038 10.1109 10.1145 10.1103 10.1021 10.1002 10.1371 10.3390 10.1093 10.1126 10.1088 10.1080 10.1177',
)
const DATASET_SOURCES = [
  'Zenodo (CERN European Organization for Nuclear Research)',
  'Dryad Digital Repository',
  'Figshare',
]
const BOOK_SOURCES = [
  'Lecture Notes in Computer Science',
  'Springer eBooks',
  'Elsevier eBooks',
  'CRC Press eBooks',
  'Methods in Molecular Biology',
]

/** Flush to the stream in chunks of about this many characters: one write per line is slow. */
const CHUNK_CHARS = 1 << 18

/**
 * Streams `options.works` OpenAlex-shaped works as JSON Lines to `out`, honouring backpressure.
 * Memory grows with researchers (the population) but not with works. The stream is not ended,
 * because the caller may be writing to process.stdout, which must stay open.
 */
export async function generateWorks(
  out: NodeJS.WritableStream,
  options: GenerateOptions,
  onProgress?: (written: number) => void,
): Promise<GenerateSummary> {
  const opts = resolveOptions(options)
  const root = new Rng(opts.seed)
  const world = buildWorld(root.fork(1), opts)
  const works = new WorkWriter(world, root.fork(2), opts.seed)

  let failure: unknown = null
  const onError = (err: unknown): void => {
    failure ??= err
  }
  out.on('error', onError)
  let bytes = 0
  let buffer = ''
  const flush = async (): Promise<void> => {
    bytes += Buffer.byteLength(buffer)
    const ok = out.write(buffer)
    buffer = ''
    if (!ok && failure === null) await drained(out)
  }
  try {
    for (let i = 0; i < opts.works; i++) {
      buffer += works.line(i)
      if (buffer.length >= CHUNK_CHARS) {
        await flush()
        if (failure !== null) throw failure
        onProgress?.(i + 1)
      }
    }
    if (buffer.length > 0) await flush()
    if (failure !== null) throw failure
    onProgress?.(opts.works)
  } finally {
    out.off('error', onError)
  }
  return {
    works: opts.works,
    researchers: world.researchers.count,
    institutions: world.institutions.length,
    topics: world.topics.length,
    bytes,
  }
}

/** Resolves on 'drain'; rejects on 'error', or on 'close' (which would otherwise hang forever). */
function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: unknown): void => {
      out.off('drain', onDrain)
      out.off('error', done)
      out.off('close', onClose)
      if (err === undefined) resolve()
      else reject(err)
    }
    const onDrain = (): void => done()
    const onClose = (): void => done(new Error('output stream closed before all works were written'))
    out.on('drain', onDrain)
    out.on('error', done)
    out.on('close', onClose)
  })
}

export type ResolvedOptions = Required<GenerateOptions>

export function resolveOptions(o: GenerateOptions): ResolvedOptions {
  const startYear = o.startYear ?? 2005
  const endYear = o.endYear ?? 2024
  const resolved: ResolvedOptions = {
    works: o.works,
    researchers: o.researchers,
    // About one institution per 100 researchers keeps departments realistically small.
    institutions: o.institutions ?? Math.max(20, Math.round(o.researchers / 100)),
    topics: o.topics ?? 60,
    seed: o.seed ?? 1,
    startYear,
    endYear,
  }
  for (const key of ['works', 'researchers', 'institutions', 'topics'] as const) {
    const v = resolved[key]
    const min = key === 'works' ? 0 : 1
    if (!Number.isSafeInteger(v) || v < min) throw new Error(`${key} must be an integer ≥ ${min}, got ${v}`)
  }
  if (!Number.isInteger(resolved.seed) || resolved.seed < 0 || resolved.seed > 0xffffffff) {
    // The PRNG state is 32 bits; rejecting larger seeds beats silently aliasing them.
    throw new Error(`seed must be an integer in [0, 4294967295], got ${resolved.seed}`)
  }
  if (resolved.researchers > 2 ** 31 || resolved.works > 2 ** 31)
    throw new Error('at most 2^31 works/researchers')
  if (
    !Number.isInteger(startYear) ||
    !Number.isInteger(endYear) ||
    startYear > endYear ||
    startYear < 1900 ||
    endYear > 2100
  ) {
    throw new Error(`invalid year range ${startYear}–${endYear}`)
  }
  return resolved
}

/** Turns work indices into JSON lines; all per-work state is local to line(). */
class WorkWriter {
  private readonly rng: Rng
  private readonly text: TextGenerator
  private readonly workIds: IdPermutation
  private readonly doiTokens: IdPermutation
  private readonly journalPrefix = new Map<string, string>()
  /** arXiv numbers run per month; bounded by the number of months, not works. */
  private readonly arxivSerial = new Map<string, number>()
  private readonly authors: number[] = []

  constructor(
    private readonly world: World,
    rng: Rng,
    seed: number,
  ) {
    this.rng = rng
    this.text = new TextGenerator(rng)
    this.workIds = new IdPermutation(seed, 0x3007)
    this.doiTokens = new IdPermutation(seed, 0xd01)
  }

  line(i: number): string {
    const { rng, world } = this
    const r = world.researchers
    const anchor = world.anchorTable.sample(rng)
    const year = this.pickYear(anchor)
    const group = world.groups[r.group[anchor]!]!
    const authors = this.pickAuthors(anchor, year, AUTHOR_COUNT.sample(rng))
    const topics = this.pickTopics(group.topics)
    const workTopics = topics.map((t) => world.topics[t.index]!)
    this.text.use(workTopics)
    const title = this.text.title()
    const type = WORK_TYPE.sample(rng)
    const primary = workTopics[0]!
    const source = this.pickSource(type, primary.journals, primary.field.preprintServer)

    let s = `{"id":"https://openalex.org/W${2_000_000_000 + this.workIds.apply(i)}"`
    const titleJson = JSON.stringify(title)
    s += `,"display_name":${titleJson},"title":${titleJson}`
    const abstractKind = rng.next()
    if (abstractKind < 0.7) s += `,"abstract_inverted_index":${invertedIndexJson(this.text.abstract())}`
    else if (abstractKind < 0.95) s += `,"abstract":${JSON.stringify(this.text.abstract())}`
    s += `,"publication_year":${year},"type":"${type}"`
    s += `,"doi":${this.doi(i, type, year, source)}`
    s += `,"primary_location":{"source":{"display_name":${JSON.stringify(source)}}}`
    s += ',"authorships":['
    for (let k = 0; k < authors.length; k++) {
      const a = authors[k]!
      const position = k === 0 ? 'first' : k === authors.length - 1 ? 'last' : 'middle'
      if (k > 0) s += ','
      s += `{"author_position":"${position}","author":${r.json[a]},"institutions":[${this.affiliations(a, year)}]}`
    }
    s += '],"topics":['
    for (let k = 0; k < topics.length; k++) {
      const t = workTopics[k]!
      if (k > 0) s += ','
      s += `{"id":"${t.id}","display_name":${JSON.stringify(t.name)},"score":${topics[k]!.score}}`
    }
    return `${s}]}\n`
  }

  private pickYear(anchor: number): number {
    const r = this.world.researchers
    const lo = Math.max(r.start[anchor]!, this.world.startYear)
    const hi = Math.min(r.end[anchor]!, this.world.endYear)
    // Output grows over time, so lean towards the later part of each career window.
    return lo + Math.floor((hi - lo + 1) * this.rng.next() ** 0.8)
  }

  private active(id: number, year: number): boolean {
    const r = this.world.researchers
    return r.start[id]! <= year && year <= r.end[id]!
  }

  /** Mostly the anchor's own group, sometimes partner groups, rarely anyone. */
  private pickAuthors(anchor: number, year: number, want: number): number[] {
    const { rng, world, authors } = this
    const r = world.researchers
    const group = world.groups[r.group[anchor]!]!
    authors.length = 0
    authors.push(anchor)
    let pi = -1
    if (anchor !== group.pi && this.active(group.pi, year) && rng.chance(0.85)) pi = group.pi
    const target = pi >= 0 ? want - 1 : want
    for (let attempt = 0; authors.length < target && attempt < want * 10; attempt++) {
      const roll = rng.next()
      let c: number
      if (roll < 0.75 && group.size > 1) {
        c = group.first + Math.floor(rng.next() * group.size)
        // Alumni who moved away still co-author with the old group, just less often.
        if (r.movedTo[c]! >= 0 && year >= r.moveYear[c]! && rng.chance(0.6)) continue
      } else if (roll < 0.97) {
        const pool =
          group.partners.length > 0 && rng.chance(0.75)
            ? group.partners
            : world.topicGroups[rng.pick(group.topics)]!
        const g = world.groups[rng.pick(pool)]!
        c = rng.chance(0.4) ? g.pi : g.first + Math.floor(rng.next() * g.size)
      } else {
        c = Math.floor(rng.next() * r.count)
      }
      // Rejection step: prolific people are picked as co-authors more often too.
      if (rng.next() * 4 > r.productivity[c]!) continue
      if (c !== pi && this.active(c, year) && !authors.includes(c)) authors.push(c)
    }
    // Author order as in the lab sciences: a junior member first, the PI last.
    if (r.role[anchor] === ROLE_PI && authors.length > 1) {
      const junior = authors.findIndex((a) => r.role[a] !== ROLE_PI)
      const j = junior > 0 ? junior : 1
      authors[0] = authors[j]!
      authors[j] = anchor
      if (authors.length > 2) {
        authors[j] = authors[authors.length - 1]!
        authors[authors.length - 1] = anchor
      }
    }
    if (pi >= 0) authors.push(pi)
    return authors
  }

  private affiliations(a: number, year: number): string {
    const r = this.world.researchers
    const inst = this.world.institutions
    const current = r.movedTo[a]! >= 0 && year >= r.moveYear[a]! ? r.movedTo[a]! : r.home[a]!
    let s = inst[current]!.json
    const second = r.secondary[a]!
    if (second >= 0 && second !== current && this.rng.chance(0.5)) s += `,${inst[second]!.json}`
    return s
  }

  private pickTopics(groupTopics: number[]): { index: number; score: number }[] {
    const rng = this.rng
    const primary = groupTopics[0]!
    const order = [rng.chance(0.7) ? primary : rng.pick(groupTopics)]
    for (const t of groupTopics) if (!order.includes(t) && rng.chance(0.5)) order.push(t)
    if (order.length < 3 && rng.chance(0.15)) {
      // An occasional neighbouring topic from the same field blurs community boundaries a little.
      const field = this.world.topics[order[0]!]!.field
      const same = this.world.topics.filter((t) => t.field === field)
      const t = rng.pick(same).index
      if (!order.includes(t)) order.push(t)
    }
    let score = 0.9 + rng.next() * 0.0999
    return order.map((index) => {
      const out = { index, score: Math.round(score * 10000) / 10000 }
      score *= rng.float(0.55, 0.98)
      return out
    })
  }

  private pickSource(type: string, journals: string[], preprintServer: string): string {
    const rng = this.rng
    switch (type) {
      case 'preprint':
        return preprintServer
      case 'dataset':
        return rng.pick(DATASET_SOURCES)
      case 'book-chapter':
        return rng.pick(BOOK_SOURCES)
      default:
        return rng.pick(journals)
    }
  }

  private doi(i: number, type: string, year: number, source: string): string {
    const rng = this.rng
    const token = this.doiTokens.apply(i).toString(36)
    if (type === 'preprint' && source.startsWith('arXiv')) {
      const month = `${String(year % 100).padStart(2, '0')}${String(rng.int(1, 12)).padStart(2, '0')}`
      const serial = (this.arxivSerial.get(month) ?? 0) + 1
      this.arxivSerial.set(month, serial)
      return `"https://doi.org/10.48550/arxiv.${month}.${String(serial).padStart(5, '0')}"`
    }
    if (type === 'dataset') return `"https://doi.org/10.5281/zenodo.${this.doiTokens.apply(i)}"`
    // Some older articles and chapters simply never got a DOI.
    if (rng.chance(type === 'book-chapter' ? 0.25 : 0.06)) return 'null'
    let prefix = this.journalPrefix.get(source)
    if (prefix === undefined) {
      prefix = rng.pick(DOI_PREFIXES)
      this.journalPrefix.set(source, prefix)
    }
    const abbrev = source
      .split(/\s+/)
      .filter((w) => /^[A-Z]/.test(w))
      .map((w) => w[0]!.toLowerCase())
      .join('')
    return `"https://doi.org/${prefix}/${abbrev || 'x'}.${year}.${token}"`
  }
}
