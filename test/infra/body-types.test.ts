import t from 'tap'
import { build } from '../helpers/build.js'
import { annClaimant, seedCatalogue, signUp } from '../helpers/identity.js'

t.test('a JSON body is taken with the types it has: a wrong one is a 400 that changes nothing', async (t) => {
  const app = await build(t)
  const { ann, bob } = await seedCatalogue(app)
  const admin = await signUp(app, 'admin')
  const target = await signUp(app)
  const { user: claimant } = await annClaimant(app, ann)
  const send = (method: 'PUT' | 'PATCH' | 'POST', url: string, headers: object, payload: object) =>
    app.inject({ method, url, headers: headers as Record<string, string>, payload })
  const refused = async (name: string, pending: ReturnType<typeof send>) => {
    const res = await pending
    t.equal(res.statusCode, 400, name)
    t.equal(res.json().error.code, 'VALIDATION_FAILED', name)
  }

  await refused(
    'a one-item array for a string',
    send('PUT', `/v1/admin/accounts/${target.accountId}/role`, admin.headers, { role: ['admin'] }),
  )
  const me = await app.inject({ url: '/v1/me', headers: target.headers })
  t.equal(me.json().role, 'researcher', 'the role did not change')

  await refused(
    'a number for a boolean',
    send('PATCH', `/v1/researchers/${ann}/settings`, claimant.headers, { openToCollaborate: 1 }),
  )
  const profile = await app.inject({ url: `/v1/researchers/${ann}` })
  t.equal(profile.json().openToCollaborate, false, 'the flag did not change')

  await refused(
    'a boolean for a string',
    send('POST', `/v1/researchers/${bob}/reports`, target.headers, { reason: true }),
  )
  const reports = await app.inject({ url: '/v1/admin/reports', headers: admin.headers })
  t.equal(reports.json().items.length, 0, 'no report was filed')

  const officer = await signUp(app, 'programme_officer')
  await refused(
    'a string for a number',
    send('POST', '/v1/experts/search', officer.headers, { text: 'protein folding', k: '5' }),
  )
  const right = await send('POST', '/v1/experts/search', officer.headers, { text: 'protein folding', k: 5 })
  t.equal(right.statusCode, 200, 'the same search with the right types is answered')
})

t.test('path parameters and query strings are still read as their types', async (t) => {
  const app = await build(t)
  const { ann } = await seedCatalogue(app)
  const byId = await app.inject({ url: `/v1/researchers/${ann}` })
  t.equal(byId.statusCode, 200)
  const page = await app.inject({ url: '/v1/researchers?q=Ann&limit=1&offset=0' })
  t.equal(page.statusCode, 200)
  t.equal(page.json().items.length, 1)
  t.equal((await app.inject({ url: '/v1/researchers?q=Ann&limit=many' })).statusCode, 400)
  for (const spelling of ['0x10', '1e2', `${ann}.0`, `+${ann}`, `%20${ann}`]) {
    const res = await app.inject({ url: `/v1/researchers/${spelling}` })
    t.equal(res.statusCode, 400, `${spelling} is not an id`)
    t.equal(res.json().error.code, 'VALIDATION_FAILED')
  }
  t.equal((await app.inject({ url: `/v1/researchers/0${ann}` })).statusCode, 200, 'decimal digits are')
})

t.test('text made only of invisible characters is blank', async (t) => {
  const app = await build(t)
  const { bob } = await seedCatalogue(app)
  const register = (displayName: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: {
        email: `z${displayName.length}@example.org`,
        password: 'correct horse battery staple',
        displayName,
      },
    })
  t.equal((await register('\u200b')).statusCode, 400, 'a zero-width space is no name')
  t.equal((await register('\u00ad\u2060')).statusCode, 400, 'nor a soft hyphen and a word joiner')
  t.equal((await register('Zoë\u200d')).statusCode, 201, 'a name with one in it is still a name')
  const user = await signUp(app)
  const report = await app.inject({
    method: 'POST',
    url: `/v1/researchers/${bob}/reports`,
    headers: user.headers,
    payload: { reason: '\u200b\u200c\u200d' },
  })
  t.equal(report.statusCode, 400, 'a reason must say something')
})
