import { sql } from 'drizzle-orm'
import t, { type Test } from 'tap'
import { HUBNESS_NEIGHBOURS } from '../../src/matching/profiles.js'
import { DEFAULT_SUGGESTION_WEIGHTS, suggestionScore } from '../../src/matching/scoring.js'
import { parseSparsevec } from '../../src/matching/sparse-profile.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { claimant, clock } from './fixtures.js'

const work = (id: string, text: string, year: number, authors: string[]) => ({
  id,
  title: text.split(' ').slice(0, 6).join(' '),
  abstract: text,
  publication_year: year,
  authorships: authors.map((a) => ({ author: { id: a, display_name: `Person ${a}` } })),
})

const QUERY = 'protein folding kinetics chaperone pathways molecular dynamics simulations'
const TWIN = 'protein folding chaperone pathways cryo electron microscopy structures'
// U and its ten clones share one text: U's nearest researchers are identical to it (a hub).
const HUB = 'protein folding kinetics chaperone pathways molecular crowding stress'
const PLAIN = 'protein folding kinetics chaperone dynamics simulations amyloid aggregation'

/**
 * Q asks. P1 and P2 have the same text and co-authors with the same text, so the same similarity
 * and hubness: only P2 is a last author (of a two-author work). U is closer to Q than V in text
 * but has ten identical clones; V has none. M1–M3 test the middle and single-author cases.
 */
const WORKS = [
  work('Wq1', `${QUERY} one`, 2022, ['Q']),
  work('Wq2', `${QUERY} two`, 2023, ['Q']),
  work('Wt1', TWIN, 2023, ['P1', 'X1']),
  work('Wt2', TWIN, 2023, ['X2', 'P2']),
  work('Wu', HUB, 2023, ['U']),
  ...Array.from({ length: 10 }, (_, i) => work(`Wc${i}`, HUB, 2023, [`C${i}`])),
  work('Wv', PLAIN, 2023, ['V']),
  work('Wm1', 'ribosome translation elongation factors', 2021, ['M1', 'M2', 'M3']),
  work('Wm2', 'ribosome translation initiation codons', 2022, ['M3']),
  work('Wm3', 'ribosome translation termination release', 2022, ['M2', 'M1']),
]

const PEOPLE = [
  'Q',
  'P1',
  'P2',
  'X1',
  'X2',
  'U',
  'V',
  'M1',
  'M2',
  'M3',
  ...Array.from({ length: 10 }, (_, i) => `C${i}`),
]

async function seeded(t: Test) {
  const database = await freshDatabase()
  const app = await build(t, { clock, database })
  await app.services.ingest.importBatch(WORKS)
  await app.services.embeddingWorker.drain()
  await app.services.matchingProfiles.settled()
  const ids = await app.services.experts.researcherIdsByExternalId(PEOPLE)
  return { app, database, ids }
}

/** Hubness by brute force over every stored group centroid, as the definition says. */
async function expectedHubness(database: Awaited<ReturnType<typeof freshDatabase>>) {
  const rows = await database.rows<{ id: number; g: string }>(sql`
    select researcher_id as id, group_centroid::text as g from researcher_lexical`)
  const vectors = rows.map((r) => ({ id: r.id, g: parseSparsevec(r.g) }))
  const out = new Map<number, number>()
  for (const a of vectors) {
    const sims = vectors
      .filter((b) => b.id !== a.id)
      .map((b) => {
        let s = 0
        for (const [k, x] of a.g) s += x * (b.g.get(k) ?? 0)
        return s
      })
      .sort((x, y) => y - x)
      .slice(0, HUBNESS_NEIGHBOURS)
    out.set(a.id, sims.reduce((x, y) => x + y, 0) / sims.length)
  }
  return out
}

async function stored(database: Awaited<ReturnType<typeof freshDatabase>>) {
  const rows = await database.rows<{ id: number; hubness: number | null; share: number | null }>(sql`
    select p.researcher_id as id, h.hubness, p.last_author_share as share
      from researcher_lexical p left join researcher_hubness h on h.researcher_id = p.researcher_id`)
  return new Map(rows.map((r) => [r.id, r]))
}

t.test(
  'hubness and last-author share are stored as defined, by refreshes and by completeHubness',
  async (t) => {
    const { app, database, ids } = await seeded(t)
    const expected = await expectedHubness(database)
    let values = await stored(database)
    t.equal(values.size, PEOPLE.length, 'every researcher has a profile')
    for (const [id, h] of expected) t.ok(Math.abs(values.get(id)!.hubness! - h) < 1e-5, `hubness of ${id}`)
    t.ok(values.get(ids.get('U')!)!.hubness! > 0.99, 'ten identical clones: hubness 1')
    t.ok(values.get(ids.get('U')!)!.hubness! > values.get(ids.get('V')!)!.hubness! + 0.2)

    const share = (who: string) => values.get(ids.get(who)!)!.share
    t.equal(share('P1'), 0, 'first of two')
    t.equal(share('P2'), 1, 'last of two')
    t.equal(share('X1'), 1)
    t.equal(share('Q'), 0, 'single-author works do not count as last-authored')
    t.equal(share('M1'), 1 / 2, 'first on one work, last on another')
    t.equal(share('M2'), 0, 'middle and first')
    t.equal(share('M3'), 1 / 2, 'last of three, and one single-author work')

    // A profile written before the hubness existed, or by a load without the index, gets it here.
    await database.rows(sql`delete from researcher_hubness`)
    await app.services.matchingProfiles.completeHubness()
    values = await stored(database)
    for (const [id, h] of expected) t.ok(Math.abs(values.get(id)!.hubness! - h) < 1e-5, `completed ${id}`)

    // An incremental refresh recomputes the refreshed researchers' hubness from their new profile.
    await app.services.ingest.importBatch([work('Wv2', HUB, 2024, ['V'])])
    await app.services.embeddingWorker.drain()
    await app.services.matchingProfiles.settled()
    const after = await expectedHubness(database)
    values = await stored(database)
    const v = ids.get('V')!
    t.ok(Math.abs(values.get(v)!.hubness! - after.get(v)!) < 1e-5, 'the refreshed researcher is current')
    t.ok(after.get(v)! > expected.get(v)! + 0.1, 'and its hubness moved with its new work')
  },
)

t.test('the components enter the score as documented and change the order as intended', async (t) => {
  const { app, ids } = await seeded(t)
  const owner = await claimant(app, ids.get('Q')!)
  const list = async (query: string) => {
    const res = await app.inject({
      method: 'GET',
      url: `/v1/researchers/${ids.get('Q')}/suggestions?limit=50&${query}`,
      headers: owner,
    })
    t.equal(res.statusCode, 200)
    return res.json() as {
      weights: typeof DEFAULT_SUGGESTION_WEIGHTS
      items: {
        researcher: { id: number }
        score: number
        components: Parameters<typeof suggestionScore>[0]
      }[]
    }
  }
  const rank = (body: Awaited<ReturnType<typeof list>>, who: string) =>
    body.items.findIndex((s) => s.researcher.id === ids.get(who))

  const byDefault = await list('')
  t.same(byDefault.weights, DEFAULT_SUGGESTION_WEIGHTS)
  for (const item of byDefault.items)
    t.ok(Math.abs(item.score - suggestionScore(item.components, byDefault.weights)) < 1e-12, 'score')
  const of = (who: string) => byDefault.items.find((s) => s.researcher.id === ids.get(who))!.components
  t.equal(of('P2').lastAuthorShare, 1)
  t.equal(of('P1').lastAuthorShare, 0)
  t.equal(of('P1').text, of('P2').text, 'the twins look alike')
  t.ok(of('U').hubness > of('V').hubness, 'U is the hub')
  t.ok(of('U').text > of('V').text, 'and closer to Q in raw text similarity')

  const plain = await list('wHubness=0&wLastAuthor=0')
  t.ok(rank(plain, 'P1') < rank(plain, 'P2'), 'without the prior the twins tie and go by id')
  t.ok(rank(byDefault, 'P2') < rank(byDefault, 'P1'), 'the last author goes first with it')
  t.ok(rank(plain, 'U') < rank(plain, 'V'), 'raw similarity puts the hub first')
  t.ok(rank(byDefault, 'V') < rank(byDefault, 'U'), 'the hubness correction puts it after V')
})
