import t from 'tap'
import { build } from '../helpers/build.js'

/**
 * The acceptance walk, over HTTP only: register → claim with a matching ORCID → level and trust
 * change on the profile → another account follows → followers 1 → unfollow → 0; a conflicting
 * second claim lands in the admin queue.
 */
t.test('identity walk', async (t) => {
  const app = await build(t)
  const call = async (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    token?: string,
    payload?: object,
  ) => {
    const res = await app.inject({
      method,
      url,
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      ...(payload ? { payload } : {}),
    })
    return { status: res.statusCode, body: res.json() }
  }
  const password = 'a long enough password'

  // The operator: first admin from the CLI's service call, then everything over HTTP.
  await app.services.accounts.create({
    email: 'ops@example.org',
    password,
    displayName: 'Ops',
    role: 'admin',
  })
  const admin = (await call('POST', '/v1/auth/login', undefined, { email: 'ops@example.org', password })).body
    .accessToken
  const author = {
    id: 'https://openalex.org/A1',
    display_name: 'Ann Lee',
    orcid: 'https://orcid.org/0000-0002-1825-0097',
  }
  const imported = await call('POST', '/v1/works', admin, {
    works: [1, 2, 3].map((n) => ({
      id: `W${n}`,
      title: `Paper ${n}`,
      publication_year: 2020 + n,
      authorships: [{ author }],
    })),
  })
  t.equal(imported.status, 200)
  const annId: number = (await call('GET', '/v1/researchers?q=ann')).body.items[0].id

  const before = (await call('GET', `/v1/researchers/${annId}`)).body
  t.same(before.trust, { score: 18, label: 'Unverified', verificationLevel: 'L1' })
  t.equal(before.claimed, false)

  const ann = await call('POST', '/v1/auth/register', undefined, {
    email: 'ann@uni.example',
    password,
    displayName: 'Ann',
  })
  t.equal(ann.status, 201)
  const annToken: string = ann.body.accessToken
  const claim = await call('POST', `/v1/researchers/${annId}/claims`, annToken, {
    orcid: '0000-0002-1825-0097',
  })
  t.equal(claim.status, 201)
  t.equal(claim.body.status, 'approved')

  const after = (await call('GET', `/v1/researchers/${annId}`)).body
  t.equal(after.claimed, true)
  t.same(after.trust, { score: 53, label: 'Verified', verificationLevel: 'L2' })
  t.equal(after.counts.followers, 0)

  const bea = await call('POST', '/v1/auth/register', undefined, {
    email: 'bea@example.org',
    password,
    displayName: 'Bea',
  })
  const beaToken: string = bea.body.accessToken
  t.equal((await call('PUT', `/v1/researchers/${annId}/follow`, beaToken)).status, 200)
  t.equal((await call('GET', `/v1/researchers/${annId}`)).body.counts.followers, 1)
  t.equal((await call('DELETE', `/v1/researchers/${annId}/follow`, beaToken)).status, 200)
  t.equal((await call('GET', `/v1/researchers/${annId}`)).body.counts.followers, 0)

  const conflicting = await call('POST', `/v1/researchers/${annId}/claims`, beaToken, {
    orcid: '0000-0002-1825-0097',
  })
  t.equal(conflicting.status, 201)
  t.match(conflicting.body, { status: 'pending', stage: 'in_review', reviewReason: 'conflict' })
  const queue = (await call('GET', '/v1/admin/claims', admin)).body
  t.equal(queue.page.total, 1)
  t.match(queue.items[0], {
    id: conflicting.body.id,
    researcher: { id: annId },
    recordClaimed: true,
    account: { email: 'bea@example.org' },
  })
  t.equal((await call('GET', `/v1/researchers/${annId}`)).body.claimed, true, 'Ann keeps the record')
  t.equal((await call('GET', '/v1/admin/claims', beaToken)).status, 403, 'only admins see the queue')
})
