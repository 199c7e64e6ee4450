import t from 'tap'
import { build } from '../helpers/build.js'
import { ORCID_ANN, seedCatalogue, signUp } from '../helpers/identity.js'

t.test('follow is idempotent, needs an account but no claim, and announces only new follows', async (t) => {
  const app = await build(t)
  const { ann, bob, cai } = await seedCatalogue(app)
  const events: unknown[] = []
  app.services.events.on('follow:created', (e) => events.push(e))
  const user = await signUp(app, 'researcher', 'Fiona')
  const follow = (id: number, method: 'PUT' | 'DELETE' = 'PUT') =>
    app.inject({ method, url: `/v1/researchers/${id}/follow`, headers: user.headers })

  t.equal((await app.inject({ method: 'PUT', url: `/v1/researchers/${ann}/follow` })).statusCode, 401)
  t.same((await follow(ann)).json(), { researcherId: ann, following: true, followers: 1 })
  t.same((await follow(ann)).json(), { researcherId: ann, following: true, followers: 1 }, 'twice is once')
  t.match(events, [{ followerAccountId: user.accountId, researcherId: ann, outboxId: Number }])
  t.equal(events.length, 1)

  const profile = (await app.inject({ url: `/v1/researchers/${ann}`, headers: user.headers })).json()
  t.equal(profile.counts.followers, 1)
  t.same(profile.viewer, { following: true, isClaimant: false })

  await follow(bob)
  await follow(cai)
  const following = (await app.inject({ url: '/v1/me/following?limit=2', headers: user.headers })).json()
  t.equal(following.page.total, 3)
  t.equal(following.items.length, 2)
  const rest = (await app.inject({ url: '/v1/me/following?limit=2&offset=2', headers: user.headers })).json()
  t.equal(rest.items.length, 1)
  t.same(
    new Set([...following.items, ...rest.items].map((i: { researcherId: number }) => i.researcherId)),
    new Set([ann, bob, cai]),
  )

  t.same((await follow(ann, 'DELETE')).json(), { researcherId: ann, following: false, followers: 0 })
  t.same(
    (await follow(ann, 'DELETE')).json(),
    { researcherId: ann, following: false, followers: 0 },
    'idempotent',
  )
  t.equal((await follow(999_999)).statusCode, 404)
  t.equal((await follow(999_999, 'DELETE')).statusCode, 404)
})

t.test('followers list shows names and claimed records, never account ids or emails', async (t) => {
  const app = await build(t)
  const { ann, bob } = await seedCatalogue(app)
  const bobUser = await signUp(app, 'researcher', 'Bob Stone')
  const annUser = await signUp(app, 'researcher', 'Ann Lee')
  await app.inject({
    method: 'POST',
    url: `/v1/researchers/${ann}/claims`,
    headers: annUser.headers,
    payload: { orcid: ORCID_ANN },
  })
  const own = await app.inject({
    method: 'PUT',
    url: `/v1/researchers/${ann}/follow`,
    headers: annUser.headers,
  })
  t.equal(own.statusCode, 400, 'nobody follows their own record')
  await app.inject({ method: 'PUT', url: `/v1/researchers/${bob}/follow`, headers: annUser.headers })
  await app.inject({ method: 'PUT', url: `/v1/researchers/${bob}/follow`, headers: bobUser.headers })

  t.equal((await app.inject({ url: `/v1/researchers/${bob}/followers` })).statusCode, 401)
  const page = await app.inject({ url: `/v1/researchers/${bob}/followers?limit=1`, headers: bobUser.headers })
  t.equal(page.statusCode, 200)
  const body = page.json()
  t.equal(body.page.total, 2)
  t.equal(body.items.length, 1)
  const all = (await app.inject({ url: `/v1/researchers/${bob}/followers`, headers: bobUser.headers })).json()
  t.same(
    all.items
      .map((i: { displayName: string; researcherId: number | null }) => [i.displayName, i.researcherId])
      .sort(),
    [
      ['Ann Lee', ann],
      ['Bob Stone', null],
    ],
  )
  t.same(Object.keys(all.items[0]).sort(), ['displayName', 'followedAt', 'researcherId'])
  t.notOk(JSON.stringify(all).includes('@'), 'no emails')
})
