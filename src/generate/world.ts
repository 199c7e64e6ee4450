import { IdPermutation, randomOrcid, rorFromNumber } from './ids.js'
import { COUNTRIES, type Country, INSTITUTE_SUBJECTS, REGIONS } from './names.js'
import { type Rng, WeightedChoice, WeightedTable, zipfWeights } from './random.js'
import { buildTopics, type Topic } from './vocabulary.js'

// The population behind the works: institutions, research groups and researchers. Researchers
// are stored column-wise in typed arrays because at 100k+ researchers one object per researcher
// costs several times the memory and the generator must stay proportional to researchers.

export interface Institution {
  id: string
  name: string
  ror: string
  country: Country
  /** Pre-serialised OpenAlex institution object, reused verbatim in every authorship. */
  json: string
}

export interface Group {
  pi: number
  /** Members are the contiguous researcher range [first, first + size), PI included. */
  first: number
  size: number
  institution: number
  topics: number[]
  /** Groups this one keeps collaborating with: same institution or same topic community. */
  partners: number[]
}

export const ROLE_PI = 0
export const ROLE_POSTDOC = 1
export const ROLE_STUDENT = 2

export interface Researchers {
  count: number
  group: Int32Array
  role: Uint8Array
  /** First and last active year (inclusive); careers may start before the generated window. */
  start: Int16Array
  end: Int16Array
  home: Int32Array
  /** Institution after a single move, or -1; the move takes effect in moveYear. */
  movedTo: Int32Array
  moveYear: Int16Array
  /** An additional affiliation listed on some papers (a joint appointment), or -1. */
  secondary: Int32Array
  /** Lotka's law: heavy-tailed (Pareto ≥ 1), so most researchers publish little, a few a lot. */
  productivity: Float32Array
  /** Pre-serialised OpenAlex author object: stable id, name and ORCID across all works. */
  json: string[]
}

export interface World {
  startYear: number
  endYear: number
  topics: Topic[]
  institutions: Institution[]
  groups: Group[]
  researchers: Researchers
  /** Groups working on each topic: the pool for cross-group collaborations within a community. */
  topicGroups: number[][]
  /** Picks a paper's driving researcher; proportional to productivity × active years. */
  anchorTable: WeightedTable
}

export interface WorldOptions {
  researchers: number
  institutions: number
  topics: number
  seed: number
  startYear: number
  endYear: number
}

// Groups of 4–6 dominate, with a tail of large labs and some lone researchers.
const GROUP_SIZE = new WeightedChoice(
  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20],
  [5, 8, 12, 14, 14, 12, 10, 8, 6, 4, 4, 2, 1],
)

export function buildWorld(rng: Rng, opts: WorldOptions): World {
  const topics = buildTopics(rng.fork(1), opts.topics)
  const institutions = buildInstitutions(rng.fork(2), opts.institutions, opts.seed)
  const { groups, researchers } = buildGroups(rng.fork(3), opts, topics, institutions)
  const topicGroups: number[][] = topics.map(() => [])
  groups.forEach((g, gi) => {
    for (const t of g.topics) topicGroups[t]!.push(gi)
  })
  linkPartners(rng.fork(4), groups, topicGroups, institutions.length)
  const anchorTable = buildAnchorTable(researchers, opts)
  return {
    startYear: opts.startYear,
    endYear: opts.endYear,
    topics,
    institutions,
    groups,
    researchers,
    topicGroups,
    anchorTable,
  }
}

function buildInstitutions(rng: Rng, count: number, seed: number): Institution[] {
  const countryChoice = new WeightedChoice(
    COUNTRIES,
    COUNTRIES.map((c) => c.weight),
  )
  const perm = new IdPermutation(seed, 0x1157)
  const names = new Set<string>()
  const rors = new Set<number>()
  const out: Institution[] = []
  for (let i = 0; i < count; i++) {
    const country = countryChoice.sample(rng)
    let name = ''
    for (let attempt = 0; attempt < 30 && (name === '' || names.has(name)); attempt++) {
      name = institutionName(rng, country)
    }
    // Small countries run out of city × pattern combinations; a campus suffix keeps names unique.
    for (let k = 2; names.has(name); k++) name = `${institutionName(rng, country)} (Campus ${k})`
    names.add(name)
    let n = rng.int(0, 200_000_000)
    while (rors.has(n)) n = rng.int(0, 200_000_000)
    rors.add(n)
    const id = `https://openalex.org/I${100_000_000 + perm.apply(i)}`
    const ror = rorFromNumber(n)
    const json = JSON.stringify({ id, display_name: name, ror, country_code: country.code })
    out.push({ id, name, ror, country, json })
  }
  return out
}

function institutionName(rng: Rng, country: Country): string {
  const city = rng.pick(country.cities)
  const anglo = country.region === 'anglo'
  switch (rng.int(0, 9)) {
    case 0:
    case 1:
    case 2:
      return `University of ${city}`
    case 3:
      return `${city} University`
    case 4:
      return `${city} Institute of Technology`
    case 5:
      return anglo ? `${city} State University` : `Technical University of ${city}`
    case 6:
      return `${city} Institute for ${rng.pick(INSTITUTE_SUBJECTS)}`
    case 7:
      return `${city} Medical University`
    case 8:
      return `${city} Polytechnic University`
    default:
      return `${country.name} University of Science and Technology`
  }
}

function buildGroups(
  rng: Rng,
  opts: WorldOptions,
  topics: Topic[],
  institutions: Institution[],
): { groups: Group[]; researchers: Researchers } {
  const n = opts.researchers
  const r: Researchers = {
    count: n,
    group: new Int32Array(n),
    role: new Uint8Array(n),
    start: new Int16Array(n),
    end: new Int16Array(n),
    home: new Int32Array(n),
    movedTo: new Int32Array(n).fill(-1),
    moveYear: new Int16Array(n),
    secondary: new Int32Array(n).fill(-1),
    productivity: new Float32Array(n),
    json: new Array<string>(n),
  }
  // Institution sizes are log-normal (a few giants, a long tail of small places); topic
  // popularity is Zipfian.
  const instWeights = institutions.map(() => Math.exp(Math.min(3, rng.normal(0, 1))))
  const instTable = new WeightedTable(instWeights)
  const topicOrder = rng.shuffle(topics.map((t) => t.index))
  const popularity = zipfWeights(topics.length, 0.7)
  const topicWeights = new Array<number>(topics.length)
  topicOrder.forEach((t, rank) => {
    topicWeights[t] = popularity[rank]!
  })
  const topicTable = new WeightedTable(topicWeights)
  const byField = new Map<string, number[]>()
  for (const t of topics) byField.set(t.field.name, [...(byField.get(t.field.name) ?? []), t.index])

  const { startYear: y0, endYear: y1 } = opts
  const perm = new IdPermutation(opts.seed, 0xa17)
  const orcids = new Set<string>()
  const groups: Group[] = []
  let next = 0
  while (next < n) {
    const size = Math.min(n - next, GROUP_SIZE.sample(rng))
    const gi = groups.length
    const institution = instTable.sample(rng)
    const primary = topicTable.sample(rng)
    const groupTopics = [primary]
    const extra = rng.pick([0, 0, 1, 1, 1, 2])
    for (let k = 0; k < extra; k++) {
      // Side topics are usually neighbours in the same field, occasionally interdisciplinary.
      const sameField = byField.get(topics[primary]!.field.name)!
      const t = rng.chance(0.7) ? rng.pick(sameField) : topicTable.sample(rng)
      if (!groupTopics.includes(t)) groupTopics.push(t)
    }
    groups.push({ pi: next, first: next, size, institution, topics: groupTopics, partners: [] })

    // The PI's career must overlap the window by a few years so the group can publish in it.
    const piStart = rng.int(y0 - 25, y1 - 4)
    const piEnd = Math.max(piStart + rng.int(8, 40), y0 + rng.int(2, 8))
    const lo = Math.max(piStart, y0)
    const hi = Math.min(piEnd, y1)
    for (let k = 0; k < size; k++) {
      const id = next + k
      r.group[id] = gi
      r.home[id] = institution
      let start: number
      let end: number
      if (k === 0) {
        r.role[id] = ROLE_PI
        start = piStart
        end = piEnd
        if (rng.chance(0.05)) move(rng, r, id, instTable, rng.int(lo, hi))
      } else {
        const postdoc = rng.chance(0.35)
        r.role[id] = postdoc ? ROLE_POSTDOC : ROLE_STUDENT
        start = rng.int(Math.max(lo - 3, piStart), Math.max(hi - 1, lo))
        end = start + (postdoc ? rng.int(2, 5) : rng.int(3, 6))
        // Some stay in research: a longer career that continues at another institution while
        // still co-authoring with the old group, the main source of cross-institution ties.
        if (rng.chance(postdoc ? 0.3 : 0.15)) {
          const moveYear = end + 1
          end += rng.int(5, 25)
          move(rng, r, id, instTable, moveYear)
        }
        if (end < y0) end = y0
      }
      r.start[id] = Math.min(start, y1)
      r.end[id] = end
      if (rng.chance(0.04)) r.secondary[id] = instTable.sample(rng)
      r.productivity[id] = rng.pareto(1.15, 150)
      r.json[id] = authorJson(rng, perm.apply(id), institutions[institution]!.country, orcids)
    }
    next += size
  }
  return { groups, researchers: r }
}

function move(rng: Rng, r: Researchers, id: number, instTable: WeightedTable, year: number): void {
  const to = instTable.sample(rng)
  if (to === r.home[id]) return
  r.movedTo[id] = to
  r.moveYear[id] = year
}

const REGION_NAMES = Object.keys(REGIONS)
const REGION_MIX = new WeightedChoice(REGION_NAMES, [30, 22, 12, 8, 12, 7, 5, 2, 1.5, 1.5])

function authorJson(rng: Rng, permuted: number, country: Country, orcids: Set<string>): string {
  // Academia is international: a researcher's name matches the institution's region only often.
  const stayLocal = rng.chance(country.region === 'anglo' ? 0.5 : 0.75)
  const region = REGIONS[stayLocal ? country.region : REGION_MIX.sample(rng)]!
  const first = rng.pick(region.first)
  const middle = rng.chance(0.2) ? ` ${String.fromCharCode(65 + rng.int(0, 25))}.` : ''
  const name = `${first}${middle} ${rng.pick(region.last)}`
  let orcid: string | null = null
  if (rng.chance(0.4)) {
    do orcid = randomOrcid(rng)
    while (orcids.has(orcid))
    orcids.add(orcid)
  }
  return JSON.stringify({
    id: `https://openalex.org/A${5_000_000_000 + permuted}`,
    display_name: name,
    orcid,
  })
}

function linkPartners(rng: Rng, groups: Group[], topicGroups: number[][], institutionCount: number): void {
  const byInstitution: number[][] = Array.from({ length: institutionCount }, () => [])
  groups.forEach((g, gi) => {
    byInstitution[g.institution]!.push(gi)
  })
  groups.forEach((g, gi) => {
    const want = rng.int(1, 4)
    for (let k = 0; k < want * 3 && g.partners.length < want; k++) {
      const pool = rng.chance(0.35) ? byInstitution[g.institution]! : topicGroups[rng.pick(g.topics)]!
      const p = rng.pick(pool)
      if (p !== gi && !g.partners.includes(p)) g.partners.push(p)
    }
  })
}

function buildAnchorTable(r: Researchers, opts: WorldOptions): WeightedTable {
  const weights = new Float64Array(r.count)
  for (let i = 0; i < r.count; i++) {
    const active = Math.min(r.end[i]!, opts.endYear) - Math.max(r.start[i]!, opts.startYear) + 1
    // PIs mostly appear as last author on their juniors' papers rather than leading their own.
    const role = r.role[i] === ROLE_PI ? 0.5 : r.role[i] === ROLE_POSTDOC ? 1.3 : 1
    weights[i] = Math.max(0, active) * r.productivity[i]! * role
  }
  return new WeightedTable(weights)
}
