import t from 'tap'
import { build } from '../helpers/build.js'
import { seedCatalogue, signUp, TEST_PASSWORD } from '../helpers/identity.js'

t.test('operators work through the report queue; dismissing restores trust', async (t) => {
  const app = await build(t)
  const { ann, bob } = await seedCatalogue(app)
  const admin = await signUp(app, 'admin')
  const trust = async (id: number) => (await app.inject({ url: `/v1/researchers/${id}` })).json().trust.score
  const queue = async (query = '') =>
    (await app.inject({ url: `/v1/admin/reports${query}`, headers: admin.headers })).json()
  const decide = (id: number, payload: Record<string, unknown>, headers = admin.headers) =>
    app.inject({ method: 'POST', url: `/v1/admin/reports/${id}/decision`, headers, payload })

  // Vouched for, so the score sits well above the floor the penalties could hit.
  await app.inject({
    method: 'PUT',
    url: `/v1/admin/researchers/${ann}/verification`,
    headers: admin.headers,
  })
  const clean = await trust(ann)
  t.ok(clean >= 40)
  const [troll, witness] = [await signUp(app), await signUp(app)]
  for (const [who, id, reason] of [
    [troll, ann, 'fake'],
    [witness, ann, 'Two people merged into one record'],
    [witness, bob, 'Not the real Bob'],
  ] as const) {
    const res = await app.inject({
      method: 'POST',
      url: `/v1/researchers/${id}/reports`,
      headers: who.headers,
      payload: { reason },
    })
    t.equal(res.statusCode, 204)
  }
  t.equal(await trust(ann), clean - 20, 'reports lower trust at once')

  const open = await queue()
  t.equal(open.page.total, 3)
  t.same(
    open.items.map((r: { researcher: { id: number }; reason: string; status: string }) => [
      r.researcher.id,
      r.reason,
      r.status,
    ]),
    [
      [ann, 'fake', 'open'],
      [ann, 'Two people merged into one record', 'open'],
      [bob, 'Not the real Bob', 'open'],
    ],
    'oldest first',
  )
  const [trollReport, witnessReport] = open.items

  const dismissed = await decide(trollReport.id, { decision: 'dismiss', note: ' no evidence ' })
  t.equal(dismissed.statusCode, 200)
  t.match(dismissed.json(), {
    id: trollReport.id,
    status: 'dismissed',
    decidedByAccountId: admin.accountId,
    decisionNote: 'no evidence',
  })
  t.equal(await trust(ann), clean - 10, 'a dismissed report stops counting')
  const upheld = await decide(witnessReport.id, { decision: 'uphold' })
  t.equal(upheld.json().status, 'upheld')
  t.equal(await trust(ann), clean - 10, 'an upheld report keeps counting')

  t.equal((await queue()).page.total, 1, 'decided reports leave the open queue')
  t.equal((await queue('?status=dismissed')).items[0].id, trollReport.id)

  const again = await app.inject({
    method: 'POST',
    url: `/v1/researchers/${ann}/reports`,
    headers: troll.headers,
    payload: { reason: 'fake, really' },
  })
  t.equal(again.statusCode, 204)
  t.equal(await trust(ann), clean - 10, 'a dismissed reporter cannot file the same report again')

  const before = await queue('?status=upheld')
  t.equal((await decide(trollReport.id, { decision: 'uphold' })).statusCode, 409, 'decided once')
  t.equal((await decide(999_999, { decision: 'dismiss' })).statusCode, 404)
  t.equal((await decide(witnessReport.id, { decision: 'delete' })).statusCode, 400)
  t.equal((await decide(witnessReport.id, { decision: 'dismiss', extra: 1 })).statusCode, 400)
  t.equal((await decide(witnessReport.id, { decision: 'dismiss' }, troll.headers)).statusCode, 403)
  t.equal(
    (await app.inject({ url: '/v1/admin/reports?status=closed', headers: admin.headers })).statusCode,
    400,
  )
  t.same(await queue('?status=upheld'), before, 'refused decisions change nothing')
})

t.test("a report outlives its reporter's account, without the reporter", async (t) => {
  const app = await build(t)
  const { ann, bob } = await seedCatalogue(app)
  const admin = await signUp(app, 'admin')
  const trust = async (id: number) => (await app.inject({ url: `/v1/researchers/${id}` })).json().trust.score
  await app.inject({
    method: 'PUT',
    url: `/v1/admin/researchers/${ann}/verification`,
    headers: admin.headers,
  })
  await app.inject({
    method: 'PUT',
    url: `/v1/admin/researchers/${bob}/verification`,
    headers: admin.headers,
  })
  const [annClean, bobClean] = [await trust(ann), await trust(bob)]
  const reporter = await signUp(app)
  for (const id of [ann, bob]) {
    const res = await app.inject({
      method: 'POST',
      url: `/v1/researchers/${id}/reports`,
      headers: reporter.headers,
      payload: { reason: `record ${id} is fake` },
    })
    t.equal(res.statusCode, 204)
  }
  const open = (await app.inject({ url: '/v1/admin/reports', headers: admin.headers })).json().items
  const upheld = await app.inject({
    method: 'POST',
    url: `/v1/admin/reports/${open[0].id}/decision`,
    headers: admin.headers,
    payload: { decision: 'uphold' },
  })
  t.equal(upheld.statusCode, 200)

  const erased = await app.inject({
    method: 'DELETE',
    url: '/v1/me',
    headers: reporter.headers,
    payload: { password: TEST_PASSWORD },
  })
  t.equal(erased.statusCode, 204)

  t.equal(await trust(ann), annClean - 10, 'the upheld report still counts against the fake record')
  t.equal(await trust(bob), bobClean - 10, 'and so does the open one, until an operator decides it')
  const stillOpen = (await app.inject({ url: '/v1/admin/reports', headers: admin.headers })).json()
  t.match(stillOpen.items, [
    { researcher: { id: bob }, reason: `record ${bob} is fake`, reporterAccountId: null },
  ])
  const decided = await app.inject({
    method: 'POST',
    url: `/v1/admin/reports/${stillOpen.items[0].id}/decision`,
    headers: admin.headers,
    payload: { decision: 'dismiss' },
  })
  t.equal(decided.statusCode, 200, 'an operator can still decide it')
  t.equal(decided.json().reporterAccountId, null)
  t.equal(await trust(bob), bobClean)
})
