import t from 'tap'
import { REQUEST_BODY_LIMIT_BYTES } from '../../src/app.js'
import { build } from '../helpers/build.js'
import { signUp } from '../helpers/identity.js'

/** About `size` bytes of JSON in the works-batch shape: works with 40,000-character abstracts. */
const worksBody = (size: number) => {
  const works = Array.from({ length: Math.ceil(size / 40_100) }, (_, i) => ({
    id: `W${i}`,
    title: `Big ${i}`,
    abstract: 'a'.repeat(40_000),
    authorships: [{ author: { id: 'A1', display_name: 'Ann Big' } }],
  }))
  return JSON.stringify({ works })
}

t.test('large bodies are read only on the works import, and only for admins', async (t) => {
  const app = await build(t, { config: { BODY_LIMIT_BYTES: 4 * 1024 * 1024 } })
  const user = await signUp(app)
  const admin = await signUp(app, 'admin')
  const big = worksBody(2 * REQUEST_BODY_LIMIT_BYTES)
  const json = { 'content-type': 'application/json' }

  const logout = await app.inject({
    method: 'POST',
    url: '/v1/auth/logout',
    headers: json,
    payload: `{"refreshToken":"${'x'.repeat(2 * REQUEST_BODY_LIMIT_BYTES)}"}`,
  })
  t.equal(logout.statusCode, 413, 'an anonymous route refuses a body over the request limit')
  t.equal(logout.json().error.code, 'FST_ERR_CTP_BODY_TOO_LARGE')

  const search = await app.inject({
    method: 'POST',
    url: '/v1/experts/search',
    headers: { ...json, authorization: `Bearer ${admin.token}` },
    payload: JSON.stringify({ text: '\u{1F600}'.repeat(50_000) }),
  })
  t.not(search.statusCode, 413, 'the largest legitimate body elsewhere (a 50,000-character search text) fits')

  const anonymous = await app.inject({ method: 'POST', url: '/v1/works', headers: json, payload: big })
  t.equal(anonymous.statusCode, 401, 'anonymous: refused before the body is read')
  const unparsed = await app.inject({
    method: 'POST',
    url: '/v1/works',
    headers: json,
    payload: '{"works": [',
  })
  t.equal(unparsed.statusCode, 401, 'not even parsed: a broken body is still a 401')
  const researcher = await app.inject({
    method: 'POST',
    url: '/v1/works',
    headers: { ...json, authorization: `Bearer ${user.token}` },
    payload: big,
  })
  t.equal(researcher.statusCode, 403, 'not an admin: refused before the body is read')

  const imported = await app.inject({
    method: 'POST',
    url: '/v1/works',
    headers: { ...json, authorization: `Bearer ${admin.token}` },
    payload: big,
  })
  t.equal(
    imported.statusCode,
    200,
    `an admin import takes up to BODY_LIMIT_BYTES: ${imported.body.slice(0, 200)}`,
  )
  const tooBig = await app.inject({
    method: 'POST',
    url: '/v1/works',
    headers: { ...json, authorization: `Bearer ${admin.token}` },
    payload: worksBody(4 * 1024 * 1024 + 1),
  })
  t.equal(tooBig.statusCode, 413, 'and no more')
})
