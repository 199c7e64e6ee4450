import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { build } from '../helpers/build.js'
import { openConversation } from '../helpers/conversation.js'
import { freshDatabase } from '../helpers/database.js'
import { ORCID_ANN, signUp, type TestUser } from '../helpers/identity.js'
import { createMember } from '../helpers/members.js'
import { claimant, clock, seed, seedWith, suggestionsOf } from '../matching/fixtures.js'

/*
 * The catalogue split Ada Folder (A1) over a second record, A1b: one paper of hers with Ivy (A9)
 * sits there, and one paper lists her under both records.
 */
const FOLDING = 'Protein folding kinetics and chaperone assisted folding pathways in proteins'
const author = (id: string, name: string, orcid?: string) => ({
  author: { id, display_name: name, ...(orcid ? { orcid } : {}) },
  institutions: [],
})
const work = (id: string, year: number, authors: ReturnType<typeof author>[], note = '') => ({
  id,
  title: `Folding study ${id}`,
  abstract: `${FOLDING} ${id} ${note}`,
  publication_year: year,
  authorships: authors,
})
const ADA_B = author('A1b', 'A. Folder', ORCID_ANN)
const IVY = author('A9', 'Ivy Ivers')
const SPLIT = [
  work('W31', 2023, [ADA_B, IVY]),
  work('W32', 2022, [author('A1', 'Ada Folder', ORCID_ANN), ADA_B]),
]

const seedSplit = (app: FastifyInstance) => seedWith(app, SPLIT, ['A1b', 'A9'])

function merge(app: FastifyInstance, admin: TestUser | null, survivor: number, duplicateId: number) {
  return app.inject({
    method: 'POST',
    url: `/v1/admin/researchers/${survivor}/merge`,
    headers: admin?.headers ?? {},
    payload: { duplicateId },
  })
}

/** What folding A1b into A1 reports: W31 moves, W32 listed both and keeps A1's authorship. */
const adaFolded = (ada: number, adaB: number) => ({
  researcher: { id: ada, name: 'Ada Folder' },
  duplicate: { id: adaB, name: 'A. Folder', externalId: 'A1b' },
  movedWorks: 1,
  sharedWorks: 1,
})

const profile = async (app: FastifyInstance, id: number) => app.inject({ url: `/v1/researchers/${id}` })

t.test('a merge folds the duplicate into the survivor, and imports keep to it', async (t) => {
  const app = await build(t, { clock })
  const ids = await seedSplit(app)
  const [ada, adaB, ivy] = [ids.get('A1')!, ids.get('A1b')!, ids.get('A9')!]
  const admin = await signUp(app, 'admin')
  const fan = await signUp(app, 'researcher', 'Fan')
  const critic = await signUp(app, 'researcher', 'Critic')
  t.equal(
    (await app.inject({ method: 'PUT', url: `/v1/researchers/${adaB}/follow`, headers: fan.headers }))
      .statusCode,
    200,
  )
  const report = await app.inject({
    method: 'POST',
    url: `/v1/researchers/${adaB}/reports`,
    headers: critic.headers,
    payload: { reason: 'Looks like a duplicate' },
  })
  t.equal(report.statusCode, 204)
  t.equal((await profile(app, ada)).json().counts.works, 4, 'W1, W2, W8 and W32')
  const owner = await claimant(app, ada)
  const suggested = async () =>
    (await suggestionsOf(t, app, ada, owner, 'limit=50')).map((s) => s.researcher.id)
  t.ok((await suggested()).includes(ivy), 'Ivy is suggested to Ada, whom the catalogue does not link to her')

  const duplicates = (await app.inject({ url: '/v1/admin/duplicates', headers: admin.headers })).json()
  t.same(duplicates, {
    items: [
      {
        orcid: ORCID_ANN,
        records: [
          { id: ada, name: 'Ada Folder', externalId: 'A1', claimed: true, works: 4 },
          { id: adaB, name: 'A. Folder', externalId: 'A1b', claimed: false, works: 2 },
        ],
      },
    ],
    page: { limit: 20, offset: 0, total: 1 },
  })

  const res = await merge(app, admin, ada, adaB)
  t.equal(res.statusCode, 200, res.body)
  t.same(res.json(), adaFolded(ada, adaB))

  const gone = await profile(app, adaB)
  t.equal(gone.statusCode, 404, 'the duplicate is gone')
  t.same(gone.json().error.details, { mergedInto: ada }, 'and its old id says where she is')
  const merged = (await profile(app, ada)).json()
  t.equal(merged.counts.works, 5, 'W31 joined her works, W32 counts once')
  t.same(merged.sameOrcid, [], 'no other record of hers is left')
  t.equal(merged.counts.followers, 1, "the duplicate's follower follows her")
  const following = (await app.inject({ url: '/v1/me/following', headers: fan.headers })).json()
  t.same(
    following.items.map((f: { researcherId: number }) => f.researcherId),
    [ada],
  )
  const graph = (await app.inject({ url: `/v1/researchers/${ada}/graph?depth=1` })).json()
  t.ok(
    graph.nodes.some((n: { key: string }) => n.key === `researcher:${ivy}`),
    'Ivy is her co-author now',
  )
  t.notOk((await suggested()).includes(ivy), 'her stored list knows Ivy is a co-author now')
  const reports = (await app.inject({ url: '/v1/admin/reports', headers: admin.headers })).json()
  t.same(
    reports.items.map((r: { researcher: { id: number } }) => r.researcher.id),
    [ada],
    'the report is about her record now',
  )
  t.equal(
    (await app.inject({ url: '/v1/admin/duplicates', headers: admin.headers })).json().page.total,
    0,
    'no duplicates left',
  )
  const log = (await app.inject({ url: '/v1/admin/merges', headers: admin.headers })).json()
  t.match(log, {
    items: [
      {
        researcher: { id: ada },
        mergedResearcherId: adaB,
        externalId: 'A1b',
        mergedByAccountId: admin.accountId,
      },
    ],
    page: { total: 1 },
  })

  // The catalogue still says A1b: an edited W31 and a new work stay with Ada.
  await seed(app, [
    work('W31', 2023, [ADA_B, IVY], 'revised'),
    work('W33', 2024, [ADA_B, author('A1', 'Ada Folder')]),
  ])
  t.same(
    [...(await app.services.experts.researcherIdsByExternalId(['A1b'])).keys()],
    [],
    'A1b did not come back',
  )
  const works = (await app.inject({ url: `/v1/researchers/${ada}/works?limit=50` })).json()
  t.same(
    works.items
      .map((w: { title: string }) => w.title)
      .filter((title: string) => /W3[13]/.test(title))
      .sort(),
    ['Folding study W31', 'Folding study W33'],
  )
  t.equal((await profile(app, ada)).json().counts.works, 6)
})

t.test('refused merges change nothing', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { clock, database })
  const ids = await seedSplit(app)
  const [ada, adaB, ben] = [ids.get('A1')!, ids.get('A1b')!, ids.get('A2')!]
  const admin = await signUp(app, 'admin')
  const worksOf = async () =>
    Promise.all([ada, adaB, ben].map(async (id) => (await profile(app, id)).json().counts.works))
  const before = await worksOf()

  const self = await merge(app, admin, ada, ada)
  t.equal(self.statusCode, 400)
  t.equal((await merge(app, admin, ada, 999_999)).statusCode, 404)
  t.equal((await merge(app, admin, 999_999, adaB)).statusCode, 404)
  const researcher = await signUp(app, 'researcher')
  t.equal((await merge(app, researcher, ada, adaB)).statusCode, 403)
  t.equal((await merge(app, null, ada, adaB)).statusCode, 401)

  await claimant(app, adaB)
  const claimed = await merge(app, admin, ada, adaB)
  t.equal(claimed.statusCode, 409)
  t.equal(claimed.json().error.details.reason, 'DUPLICATE_CLAIMED')

  const suspend = await app.inject({
    method: 'PUT',
    url: `/v1/admin/researchers/${ada}/suspension`,
    headers: admin.headers,
    payload: { reason: 'fake' },
  })
  t.equal(suspend.statusCode, 200)
  const suspended = await merge(app, admin, ada, ben)
  t.equal(suspended.statusCode, 409)
  t.equal(suspended.json().error.details.reason, 'RECORD_SUSPENDED')

  t.same(await worksOf(), before, 'every record keeps its works')
  t.equal((await app.inject({ url: '/v1/admin/merges', headers: admin.headers })).json().page.total, 0)
})

t.test('a duplicate with conversations of its own is not merged', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { clock, database })
  const admin = await signUp(app, 'admin')
  const member = (name: string) => createMember(database, app.services.tokens, { name })
  const [ann, bob, carl] = [await member('Ann'), await member('Bob'), await member('Carl')]
  await openConversation(app, ann, bob)
  const refused = await merge(app, admin, carl.researcherId!, bob.researcherId!)
  t.equal(refused.statusCode, 409, 'claimed, to begin with')
  // Bob's record is let go; its conversation with Ann stays theirs.
  await database.rows(sql`update researchers set claimed_by_account_id = null where id = ${bob.researcherId}`)
  const history = await merge(app, admin, carl.researcherId!, bob.researcherId!)
  t.equal(history.statusCode, 409)
  t.equal(history.json().error.details.reason, 'DUPLICATE_HAS_CONVERSATIONS')
  const conversations = (
    await app.inject({ url: '/v1/conversations', headers: { authorization: `Bearer ${ann.token}` } })
  ).json()
  t.equal(conversations.items.length, 1, "Ann's conversation is still there")
})

function mergeOwn(
  app: FastifyInstance,
  headers: Record<string, string>,
  survivor: number,
  duplicateId: number,
) {
  return app.inject({
    method: 'POST',
    url: `/v1/researchers/${survivor}/merge`,
    headers,
    payload: { duplicateId },
  })
}

t.test('a claimant folds in their other record with the same ORCID, and only that', async (t) => {
  const app = await build(t, { clock })
  const ids = await seedSplit(app)
  const [ada, adaB, ben] = [ids.get('A1')!, ids.get('A1b')!, ids.get('A2')!]
  const owner = await claimant(app, ada)
  const ownerAccount = (await app.inject({ url: '/v1/me', headers: owner })).json().id
  const stranger = await signUp(app, 'researcher', 'Stranger')
  const admin = await signUp(app, 'admin')
  const worksOf = async () =>
    Promise.all([ada, adaB, ben].map(async (id) => (await profile(app, id)).json().counts.works))
  const before = await worksOf()

  const second = await app.inject({
    method: 'POST',
    url: `/v1/researchers/${adaB}/claims`,
    headers: owner,
    payload: { orcid: ORCID_ANN },
  })
  t.equal(second.statusCode, 409, 'one record per account')
  t.same(second.json().error.details, { heldResearcherId: ada }, 'the refusal names the record to merge into')

  t.equal((await mergeOwn(app, {}, ada, adaB)).statusCode, 401)
  t.equal((await mergeOwn(app, stranger.headers, ada, adaB)).statusCode, 403, 'not her record')
  t.equal((await mergeOwn(app, owner, adaB, ada)).statusCode, 403, 'only into the record she holds')
  t.equal((await mergeOwn(app, owner, ada, ada)).statusCode, 400)
  t.equal((await mergeOwn(app, owner, ada, 999_999)).statusCode, 404)
  const other = await mergeOwn(app, owner, ada, ben)
  t.equal(other.statusCode, 409, "Ben's record carries no ORCID of hers")
  t.equal(other.json().error.details.reason, 'NOT_SAME_ORCID')

  // Someone else says A1b is theirs: that is for an operator to settle, not for Ada to fold away.
  const rival = await signUp(app, 'researcher', 'Rival')
  const rivalClaim = await app.inject({
    method: 'POST',
    url: `/v1/researchers/${adaB}/claims`,
    headers: rival.headers,
    payload: { text: 'this is me' },
  })
  t.equal(rivalClaim.statusCode, 201, rivalClaim.body)
  const contested = await mergeOwn(app, owner, ada, adaB)
  t.equal(contested.statusCode, 409)
  t.equal(contested.json().error.details.reason, 'DUPLICATE_CLAIMED')
  t.same(await worksOf(), before, 'no refusal moved a work')
  t.equal((await app.inject({ url: '/v1/admin/merges', headers: admin.headers })).json().page.total, 0)

  const decided = await app.inject({
    method: 'POST',
    url: `/v1/admin/claims/${rivalClaim.json().id}/decision`,
    headers: admin.headers,
    payload: { decision: 'reject' },
  })
  t.equal(decided.statusCode, 200, decided.body)
  const res = await mergeOwn(app, owner, ada, adaB)
  t.equal(res.statusCode, 200, res.body)
  t.same(res.json(), adaFolded(ada, adaB))
  t.equal((await profile(app, ada)).json().counts.works, 5, 'W31 joined her works, W32 counts once')
  t.same((await profile(app, adaB)).json().error.details, { mergedInto: ada })
  const log = (await app.inject({ url: '/v1/admin/merges', headers: admin.headers })).json()
  t.match(log.items, [{ researcher: { id: ada }, mergedResearcherId: adaB, mergedByAccountId: ownerAccount }])
})
