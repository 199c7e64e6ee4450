import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { build } from '../helpers/build.js'
import { ORCID_ANN } from '../helpers/identity.js'
import { claimant, clock, expertIds, officerToken, seedWith, suggestionsOf } from './fixtures.js'

/*
 * Catalogues hold several author records for one person (split profiles), linked only by the
 * ORCID they share. Here Ada Folder (A1) has a second record, A1b, with one folding paper written
 * with Ivy (A9). To matching, the two records are one person.
 */
const FOLDING =
  'Protein folding kinetics and molecular dynamics simulations of chaperone assisted folding pathways in proteins'
const FOLDING_CALL =
  'We invite proposals on protein folding pathways, chaperone assisted folding and molecular dynamics simulations.'

const author = (id: string, name: string, orcid?: string) => ({
  author: { id, display_name: name, ...(orcid ? { orcid: `https://orcid.org/${orcid}` } : {}) },
  institutions: [],
})

/** A1 carries the ORCID in one of its works; A1b in its only one. */
const SPLIT_PROFILE = [
  {
    id: 'W30',
    title: 'Chaperone cages and folding pathways',
    abstract: `${FOLDING} in chaperonin cages`,
    publication_year: 2023,
    authorships: [author('A1', 'Ada Folder', ORCID_ANN)],
  },
  {
    id: 'W31',
    title: 'Folding pathways of chaperone clients',
    abstract: `${FOLDING} of chaperone clients`,
    publication_year: 2023,
    authorships: [author('A1b', 'A. Folder', ORCID_ANN), author('A9', 'Ivy Ivers')],
  },
]

const seedSplitProfile = (app: FastifyInstance) => seedWith(app, SPLIT_PROFILE, ['A1b', 'A9'])

const idsOf = (items: { researcher: { id: number } }[]) => items.map((s) => s.researcher.id)

t.test('suggestions: a researcher is never suggested their own other record', async (t) => {
  const app = await build(t, { clock })
  const ids = await seedSplitProfile(app)
  const ada = ids.get('A1')!
  const owner = await claimant(app, ada)
  const listed = idsOf(await suggestionsOf(t, app, ada, owner, 'limit=50'))
  t.notOk(listed.includes(ids.get('A1b')!), 'A1b is Ada herself')
  t.ok(listed.length > 0, 'the list is not empty for it')
})

t.test("suggestions: a co-author's other record is a co-author too", async (t) => {
  const app = await build(t, { clock })
  const ids = await seedSplitProfile(app)
  const ben = ids.get('A2')!
  const owner = await claimant(app, ben)
  const listed = idsOf(await suggestionsOf(t, app, ben, owner, 'limit=50'))
  t.notOk(listed.includes(ids.get('A1')!), 'Ada is already his co-author')
  t.notOk(listed.includes(ids.get('A1b')!), 'and so is her other record')
  const withCoauthors = idsOf(await suggestionsOf(t, app, ben, owner, 'limit=50&includeCoauthors=true'))
  t.ok(withCoauthors.includes(ids.get('A1')!), 'asked for co-authors, Ada is listed')
})

/** Dan (A4), claimant, with his list computed: Ada's two records and the one it shows. */
async function dansList(t: Test) {
  const app = await build(t, { clock })
  const ids = await seedSplitProfile(app)
  const dan = ids.get('A4')!
  const owner = await claimant(app, dan)
  const records = [ids.get('A1')!, ids.get('A1b')!]
  const before = idsOf(await suggestionsOf(t, app, dan, owner, 'limit=50'))
  t.equal(before.filter((id) => records.includes(id)).length, 1, 'Ada appears once')
  const list = async (query = 'limit=50') =>
    (await app.inject({ url: `/v1/researchers/${dan}/suggestions?${query}`, headers: owner })).json()
  const shown = records.find((id) => before.includes(id))!
  return { app, list, records, shown, hidden: records.find((id) => id !== shown)! }
}

t.test('suggestions: one entry per person, the claimed record where one is', async (t) => {
  const { app, list, records, hidden } = await dansList(t)
  // Ada claims the record that was left out. Dan's stored list showed the other one: it is
  // recomputed when served, and shows the record she answers at.
  await claimant(app, hidden)
  const after = await list()
  t.equal(after.cached, false, 'the stored list was computed before her claim')
  t.same(
    idsOf(after.items).filter((id) => records.includes(id)),
    [hidden],
    'the record she claimed is the one suggested',
  )
  t.equal((await list()).cached, true, 'and the new list is stored, not computed again')
  t.ok(idsOf((await list('minWorks=1')).items).includes(hidden), 'filtered lists pick from the new one too')
})

t.test('suggestions: a claim on the suggested record itself keeps it listed', async (t) => {
  const { app, list, shown } = await dansList(t)
  await claimant(app, shown)
  t.ok(idsOf((await list()).items).includes(shown), 'the claimed record stays')
})

t.test('expert search: one entry per person', async (t) => {
  const app = await build(t, { clock })
  const ids = await seedSplitProfile(app)
  const listed = await expertIds(t, app, await officerToken(app), { text: FOLDING_CALL, k: 20 })
  const records = [ids.get('A1')!, ids.get('A1b')!]
  t.equal(listed.filter((id) => records.includes(id)).length, 1, 'Ada appears once')
  t.ok(listed.includes(ids.get('A9')!), 'her co-author on the other record is an expert too')
})

t.test("expert search: an applicant's other records, and their co-authors, are conflicts", async (t) => {
  const app = await build(t, { clock })
  const ids = await seedSplitProfile(app)
  const token = await officerToken(app)
  const search = (conflicts: object) => expertIds(t, app, token, { text: FOLDING_CALL, k: 20, conflicts })
  const open = await search({})
  t.ok(open.includes(ids.get('A2')!) && open.includes(ids.get('A9')!), 'Ben and Ivy are experts')

  // The proposal names A1b; Ada's main record co-authored with Ben in 2023.
  const applied = await search({ applicantIds: [ids.get('A1b')] })
  t.notOk(applied.includes(ids.get('A1')!), "the applicant's other record is left out")
  t.notOk(applied.includes(ids.get('A2')!), 'so is Ben, co-author of that record')
  t.notOk(applied.includes(ids.get('A9')!), 'and Ivy, co-author of the named one')
  t.ok(applied.includes(ids.get('A3')!), 'Cara, two steps away, stays')

  const excluded = await search({ excludeResearcherIds: [ids.get('A1')] })
  t.notOk(
    excluded.some((id) => id === ids.get('A1') || id === ids.get('A1b')),
    'excluding a person excludes every record of theirs',
  )
})

t.test("a profile names the person's other records", async (t) => {
  const app = await build(t, { clock })
  const ids = await seedSplitProfile(app)
  const profile = async (key: string) => (await app.inject({ url: `/v1/researchers/${ids.get(key)}` })).json()
  t.same((await profile('A1')).sameOrcid, [{ id: ids.get('A1b'), name: 'A. Folder', claimed: false }])
  t.same((await profile('A1b')).sameOrcid, [{ id: ids.get('A1'), name: 'Ada Folder', claimed: false }])
  t.same((await profile('A2')).sameOrcid, [], 'no ORCID, no other records')
})
