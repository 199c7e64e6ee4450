import t from 'tap'
import { build } from '../helpers/build.js'
import { openConversation } from '../helpers/conversation.js'
import { freshDatabase } from '../helpers/database.js'
import { ORCID_ANN, seedCatalogue, signUp } from '../helpers/identity.js'
import { createMember } from '../helpers/members.js'

t.test('an account exports everything kept about it, and nothing of anyone else', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { database })
  const { ann, bob, cai, dana } = await seedCatalogue(app)
  const user = await signUp(app, 'researcher', 'Ann Lee')
  const as = (method: 'GET' | 'PUT' | 'PATCH' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) })
  t.equal((await as('POST', `/v1/researchers/${ann}/claims`, { orcid: ORCID_ANN })).json().status, 'approved')
  await as('PATCH', `/v1/researchers/${ann}/settings`, { openToCollaborate: true })
  await as('PUT', `/v1/researchers/${ann}/suggestions/dismissed/${dana}`)
  await as('PUT', `/v1/researchers/${bob}/follow`)
  await as('PUT', `/v1/blocks/${cai}`)
  await as('POST', `/v1/researchers/${bob}/reports`, { reason: 'Two people merged into one record' })
  const other = await createMember(database, app.services.tokens, { name: 'Olga Other' })
  const me = {
    accountId: user.accountId,
    researcherId: ann,
    externalId: null,
    name: 'Ann Lee',
    token: user.token,
  }
  const conversationId = await openConversation(app, me, other)
  for (let i = 0; i < 120; i++)
    await app.inject({
      method: 'POST',
      url: `/v1/conversations/${conversationId}/messages`,
      headers: { authorization: `Bearer ${i % 2 === 0 ? user.token : other.token}` },
      payload: { clientMessageId: `m-${i}`, body: `message ${i}` },
    })

  const res = await as('GET', '/v1/me/export')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-disposition'], /attachment/)
  const doc = res.json()
  t.match(doc.account, { id: user.accountId, email: user.email, displayName: 'Ann Lee', researcherId: ann })
  t.same(
    doc.claims.map((c: { researcherId: number; status: string }) => [c.researcherId, c.status]),
    [[ann, 'approved']],
  )
  t.match(doc.record, {
    researcherId: ann,
    settings: { openToCollaborate: true },
    dismissedSuggestions: [{ researcherId: dana }],
  })
  t.same(
    doc.following.map((f: { researcherId: number }) => f.researcherId),
    [bob],
  )
  t.match(doc.reportsFiled, [
    { researcherId: bob, reason: 'Two people merged into one record', status: 'open' },
  ])
  t.equal(doc.reportsFiled.length, 1)
  t.same(
    doc.blocks.map((b: { researcherId: number }) => b.researcherId),
    [cai],
  )
  t.equal(doc.invitations.sent.length, 1)
  t.equal(doc.invitations.received.length, 0)
  t.equal(doc.conversations.length, 1)
  const messages = doc.conversations[0].messages as { seq: number; body: string }[]
  t.equal(messages.length, 120, 'every message, past the first page of 100')
  t.same(
    messages.map((m) => m.seq),
    Array.from({ length: 120 }, (_, i) => i + 1),
  )
  t.ok(Array.isArray(doc.notifications))
  t.notOk(JSON.stringify(doc).includes('scrypt'), 'no password hash')

  // The other member's export holds the shared conversation, but not Ann's account or choices.
  const theirs = await app.inject({
    url: '/v1/me/export',
    headers: { authorization: `Bearer ${other.token}` },
  })
  t.equal(theirs.statusCode, 200)
  t.notOk(JSON.stringify(theirs.json()).includes(user.email), "no one else's email")
  t.equal(theirs.json().conversations[0].messages.length, 120)
  t.same(theirs.json().following, [])
  t.same(theirs.json().reportsFiled, [], "not Ann's reports")

  const anonymous = await app.inject({ url: '/v1/me/export' })
  t.equal(anonymous.statusCode, 401)
  t.equal(anonymous.json().error.code, 'UNAUTHORIZED')
})

t.test('an account without a record exports without one', async (t) => {
  const app = await build(t)
  const user = await signUp(app)
  const res = await app.inject({ url: '/v1/me/export', headers: user.headers })
  t.equal(res.statusCode, 200)
  t.match(res.json(), {
    account: { id: user.accountId, researcherId: null },
    claims: [],
    record: null,
    reportsFiled: [],
    following: [],
    blocks: [],
    invitations: { received: [], sent: [] },
    conversations: [],
    notifications: [],
  })
})
