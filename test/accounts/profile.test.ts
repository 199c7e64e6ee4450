import t from 'tap'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { seedCatalogue, signUp } from '../helpers/identity.js'

t.test('an account changes its display name; followers lists show the new one', async (t) => {
  const app = await build(t, { database: await freshDatabase() })
  const { bob } = await seedCatalogue(app)
  const user = await signUp(app, 'researcher', 'Old Name')
  const viewer = await signUp(app)
  await app.inject({ method: 'PUT', url: `/v1/researchers/${bob}/follow`, headers: user.headers })
  const followerNames = async () =>
    (await app.inject({ url: `/v1/researchers/${bob}/followers`, headers: viewer.headers }))
      .json()
      .items.map((f: { displayName: string }) => f.displayName)
  t.same(await followerNames(), ['Old Name'])

  const res = await app.inject({
    method: 'PATCH',
    url: '/v1/me',
    headers: user.headers,
    payload: { displayName: '  Dr New Name ' },
  })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { id: user.accountId, displayName: 'Dr New Name', researcherId: null })
  t.equal((await app.inject({ url: '/v1/me', headers: user.headers })).json().displayName, 'Dr New Name')
  t.same(await followerNames(), ['Dr New Name'])

  const cases: [string, object, Record<string, string>, number][] = [
    ['an empty name', { displayName: '' }, user.headers, 400],
    ['only spaces', { displayName: '   ' }, user.headers, 400],
    ['too long', { displayName: 'x'.repeat(201) }, user.headers, 400],
    ['another field', { displayName: 'Fine', email: 'x@example.org' }, user.headers, 400],
    ['nothing', {}, user.headers, 400],
    ['no token', { displayName: 'Fine' }, {}, 401],
  ]
  for (const [what, payload, headers, status] of cases) {
    const bad = await app.inject({ method: 'PATCH', url: '/v1/me', headers, payload })
    t.equal(bad.statusCode, status, what)
    t.type(bad.json().error?.code, 'string', `${what}: a JSON error`)
  }
  t.same(await followerNames(), ['Dr New Name'], 'refused changes change nothing')
})
