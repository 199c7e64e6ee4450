import { sql } from 'drizzle-orm'
import t from 'tap'
import { ACCESS_TOKEN_TTL_SECONDS } from '../../src/infra/auth/tokens.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { movableClock, signUp } from '../helpers/identity.js'

const password = 'a long enough password'
const register = (email: string) => ({
  method: 'POST' as const,
  url: '/v1/auth/register',
  payload: { email, password, displayName: 'Ann Lee' },
})

t.test('register, me, login; passwords stored as salted scrypt', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { database })
  const res = await app.inject(register('Ann@Example.org'))
  t.equal(res.statusCode, 201)
  const session = res.json()
  t.match(session, { account: { email: 'ann@example.org', role: 'researcher', displayName: 'Ann Lee' } })
  t.type(session.refreshToken, 'string')
  const me = await app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${session.accessToken}` } })
  t.equal(me.statusCode, 200)
  t.match(me.json(), { email: 'ann@example.org', role: 'researcher', researcherId: null })

  await app.inject(register('bob@example.org'))
  const hashes = await database.rows<{ h: string }>(sql`select password_hash as h from accounts order by id`)
  t.match(hashes[0]!.h, /^scrypt\$32768\$8\$1\$/)
  t.notOk(hashes[0]!.h.includes(password))
  t.not(hashes[0]!.h.split('$')[4], hashes[1]!.h.split('$')[4], 'each password has its own salt')

  const dup = await app.inject(register('ANN@example.org'))
  t.equal(dup.statusCode, 409, 'emails are unique case-insensitively')

  const login = await app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: 'ann@example.org', password },
  })
  t.equal(login.statusCode, 200)
  for (const payload of [
    { email: 'ann@example.org', password: 'wrong password!!' },
    { email: 'nobody@example.org', password },
  ]) {
    const bad = await app.inject({ method: 'POST', url: '/v1/auth/login', payload })
    t.equal(bad.statusCode, 401)
    t.equal(
      bad.json().error.message,
      'Wrong email or password',
      'the same answer whether or not the email exists',
    )
  }
  t.equal((await app.inject({ url: '/v1/me' })).statusCode, 401)
})

t.test('bad registrations are 400 and create nothing', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { database })
  for (const payload of [
    { email: 'not-an-email', password, displayName: 'X' },
    { email: 'a@example.org', password: 'short', displayName: 'X' },
    { email: 'a@example.org', password, displayName: '   ' },
    { email: 'a@example.org', password, displayName: 'X', role: 'admin' },
    { email: 'a@example.org', password },
  ]) {
    const res = await app.inject({ method: 'POST', url: '/v1/auth/register', payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.type(res.json().error.code, 'string')
  }
  const [row] = await database.rows<{ n: number }>(sql`select count(*)::int as n from accounts`)
  t.equal(row?.n, 0)
})

t.test('refresh tokens rotate; a reused one ends every session', async (t) => {
  const app = await build(t)
  const first = (await app.inject(register('ann@example.org'))).json()
  const refresh = (token: string) =>
    app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: token } })

  const second = await refresh(first.refreshToken)
  t.equal(second.statusCode, 200)
  t.not(second.json().refreshToken, first.refreshToken)
  t.equal(
    (await app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${second.json().accessToken}` } }))
      .statusCode,
    200,
  )

  const reused = await refresh(first.refreshToken)
  t.equal(reused.statusCode, 401, 'the old token works once only')
  t.equal((await refresh(second.json().refreshToken)).statusCode, 401, 'reuse revoked the newer token too')
  t.equal((await refresh('made-up')).statusCode, 401)
})

t.test('logout revokes the refresh token; access tokens expire', async (t) => {
  const clock = movableClock()
  const app = await build(t, { clock })
  const session = (await app.inject(register('ann@example.org'))).json()
  const out = await app.inject({
    method: 'POST',
    url: '/v1/auth/logout',
    payload: { refreshToken: session.refreshToken },
  })
  t.equal(out.statusCode, 204)
  const again = await app.inject({
    method: 'POST',
    url: '/v1/auth/logout',
    payload: { refreshToken: session.refreshToken },
  })
  t.equal(again.statusCode, 204, 'logout is idempotent')
  const refreshed = await app.inject({
    method: 'POST',
    url: '/v1/auth/refresh',
    payload: { refreshToken: session.refreshToken },
  })
  t.equal(refreshed.statusCode, 401)

  const headers = { authorization: `Bearer ${session.accessToken}` }
  t.equal((await app.inject({ url: '/v1/me', headers })).statusCode, 200)
  clock.advance(ACCESS_TOKEN_TTL_SECONDS * 1000)
  const expired = await app.inject({ url: '/v1/me', headers })
  t.equal(expired.statusCode, 401)
  t.equal(expired.json().error.message, 'Token expired')
})

t.test('refresh tokens expire after the configured days', async (t) => {
  const clock = movableClock()
  const app = await build(t, { clock, config: { REFRESH_TOKEN_TTL_DAYS: 2 } })
  const session = (await app.inject(register('ann@example.org'))).json()
  clock.advance(2 * 86_400_000)
  const res = await app.inject({
    method: 'POST',
    url: '/v1/auth/refresh',
    payload: { refreshToken: session.refreshToken },
  })
  t.equal(res.statusCode, 401)
  t.equal(res.json().error.message, 'Refresh token expired')
})

t.test('auth routes are rate limited per address; other routes are not', async (t) => {
  const app = await build(t, { config: { AUTH_RATE_LIMIT_MAX: 3 } })
  const statuses: number[] = []
  for (let i = 0; i < 4; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'x@example.org', password },
    })
    statuses.push(res.statusCode)
    if (res.statusCode === 429) t.equal(res.json().error.code, 'RATE_LIMITED')
  }
  t.same(statuses, [401, 401, 401, 429])
  for (let i = 0; i < 5; i++) t.equal((await app.inject({ url: '/health' })).statusCode, 200, 'not limited')
  const register = await app.inject({ method: 'POST', url: '/v1/auth/register', payload: {} })
  t.equal(register.statusCode, 400, 'each route has its own budget')
})

t.test('admins assign roles; nobody else can, and not to themselves', async (t) => {
  const app = await build(t)
  await app.services.accounts.create({
    email: 'root@example.org',
    password,
    displayName: 'Root',
    role: 'admin',
  })
  const admin = (
    await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'root@example.org', password },
    })
  ).json()
  const user = (await app.inject(register('ann@example.org'))).json()
  const put = (token: string, id: number, role: string) =>
    app.inject({
      method: 'PUT',
      url: `/v1/admin/accounts/${id}/role`,
      headers: { authorization: `Bearer ${token}` },
      payload: { role },
    })
  t.equal((await put(user.accessToken, user.account.id, 'admin')).statusCode, 403)
  const ok = await put(admin.accessToken, user.account.id, 'programme_officer')
  t.equal(ok.statusCode, 200)
  t.equal(ok.json().role, 'programme_officer')
  t.equal((await put(admin.accessToken, admin.account.id, 'researcher')).statusCode, 409)
  t.equal((await put(admin.accessToken, 9999, 'researcher')).statusCode, 404)
  t.equal((await put(admin.accessToken, user.account.id, 'king')).statusCode, 400)
  const relogin = await app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: 'ann@example.org', password },
  })
  t.equal(relogin.json().account.role, 'programme_officer', 'the new role is in the next token')
})

t.test('a demotion takes effect at once, not when the token expires', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { database })
  const root = await signUp(app, 'admin', 'Root')
  const other = await signUp(app, 'admin', 'Other')
  const officer = await signUp(app, 'programme_officer', 'Officer')
  const call = (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    })
  const setRole = (token: string, id: number) =>
    call(token, 'PUT', `/v1/admin/accounts/${id}/role`, { role: 'researcher' })
  const search = (token: string) =>
    call(token, 'POST', '/v1/experts/search', { text: 'protein folding kinetics', k: 5 })

  t.equal((await call(other.token, 'GET', '/v1/admin/claims')).statusCode, 200, 'an admin before')
  t.equal((await search(officer.token)).statusCode, 200, 'an officer before')
  t.equal((await setRole(root.token, other.accountId)).statusCode, 200)
  t.equal((await setRole(root.token, officer.accountId)).statusCode, 200)

  const claims = await call(other.token, 'GET', '/v1/admin/claims')
  t.equal(claims.statusCode, 403, 'the same unexpired token no longer opens admin routes')
  t.equal(claims.json().error.code, 'FORBIDDEN')
  t.equal(
    (await setRole(other.token, root.accountId)).statusCode,
    403,
    'nor demotes the one who demoted them',
  )
  t.equal((await search(officer.token)).statusCode, 403, 'nor the expert search')
  t.equal((await call(other.token, 'GET', '/v1/me')).statusCode, 200, 'they are still signed in')

  // Every token is looked up again, so the other way round holds too.
  const researcher = await signUp(app, 'researcher', 'Promoted')
  t.equal((await call(researcher.token, 'GET', '/v1/admin/claims')).statusCode, 403)
  await database.db.execute(sql`update accounts set role = 'admin' where id = ${researcher.accountId}`)
  t.equal(
    (await call(researcher.token, 'GET', '/v1/admin/claims')).statusCode,
    200,
    'a promotion takes effect at once as well',
  )
})

t.test('a password change needs the current password and ends every other session', async (t) => {
  const app = await build(t)
  const first = (await app.inject(register('pat@example.org'))).json()
  const login = () =>
    app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'pat@example.org', password } })
  const other = (await login()).json()
  const change = (token: string, currentPassword: string, newPassword: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/me/password',
      headers: { authorization: `Bearer ${token}` },
      payload: { currentPassword, newPassword },
    })
  const refresh = (refreshToken: string) =>
    app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken } })
  const newPassword = 'an even longer new password'

  const wrong = await change(first.accessToken, 'not the password', newPassword)
  t.equal(wrong.statusCode, 403)
  t.equal(wrong.json().error.code, 'FORBIDDEN')
  t.equal((await login()).statusCode, 200, 'a refused change changes nothing')
  const stillOther = await refresh(other.refreshToken)
  t.equal(stillOther.statusCode, 200, 'and ends no session')

  t.equal((await change(first.accessToken, password, 'short')).statusCode, 400, 'the new one obeys the rules')
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/v1/me/password',
        payload: { currentPassword: password, newPassword },
      })
    ).statusCode,
    401,
    'signed in only',
  )

  const changed = await change(first.accessToken, password, newPassword)
  t.equal(changed.statusCode, 200)
  const session = changed.json()
  t.equal(session.account.email, 'pat@example.org')
  t.equal((await login()).statusCode, 401, 'the old password is gone')
  const relogin = await app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: 'pat@example.org', password: newPassword },
  })
  t.equal(relogin.statusCode, 200, 'the new one works')
  for (const old of [first.refreshToken, stillOther.json().refreshToken]) {
    const res = await refresh(old)
    t.equal(res.statusCode, 401, 'an earlier session cannot be refreshed')
  }
  t.equal(
    (await refresh(session.refreshToken)).statusCode,
    200,
    "the old tabs' attempts did not end the new session",
  )
})

t.test('of two concurrent changes from the same old password, one wins', async (t) => {
  const app = await build(t)
  const { accessToken } = (await app.inject(register('twin@example.org'))).json()
  const results = await Promise.all(
    ['first new password', 'second new password'].map((newPassword) =>
      app.inject({
        method: 'POST',
        url: '/v1/me/password',
        headers: { authorization: `Bearer ${accessToken}` },
        payload: { currentPassword: password, newPassword },
      }),
    ),
  )
  t.same(results.map((r) => r.statusCode).sort(), [200, 403])
  const winner = results.findIndex((r) => r.statusCode === 200)
  const logins = await Promise.all(
    ['first new password', 'second new password'].map((p) =>
      app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: 'twin@example.org', password: p },
      }),
    ),
  )
  t.same(
    logins.map((r) => r.statusCode),
    [0, 1].map((i) => (i === winner ? 200 : 401)),
    "the winner's password is the one that works",
  )
})
