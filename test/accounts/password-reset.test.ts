import { sql } from 'drizzle-orm'
import t, { type Test } from 'tap'
import { RESETS_PER_ACCOUNT_PER_DAY } from '../../src/accounts/service.js'
import { MemoryMailer } from '../../src/infra/mailer.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { movableClock } from '../helpers/identity.js'

const password = 'the original password'
const newPassword = 'a brand new password'

async function setup(t: Test) {
  const mailer = new MemoryMailer()
  const clock = movableClock()
  const database = await freshDatabase()
  const app = await build(t, { mailer, clock, database })
  const registered = await app.inject({
    method: 'POST',
    url: '/v1/auth/register',
    payload: { email: 'kim@example.org', password, displayName: 'Kim' },
  })
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload })
  return {
    app,
    mailer,
    clock,
    database,
    session: registered.json(),
    request: (email = 'kim@example.org') => post('/v1/auth/password-reset', { email }),
    confirm: (token: string, next = newPassword) =>
      post('/v1/auth/password-reset/confirm', { token, newPassword: next }),
    login: (pw: string) => post('/v1/auth/login', { email: 'kim@example.org', password: pw }),
    refresh: (refreshToken: string) => post('/v1/auth/refresh', { refreshToken }),
    resets: async () =>
      (await database.rows<{ n: number }>(sql`select count(*)::int as n from password_resets`))[0]!.n,
  }
}

t.test('a mailed token sets a new password once and ends every session', async (t) => {
  const s = await setup(t)
  const accepted = await s.request('Kim@Example.org')
  t.equal(accepted.statusCode, 202)
  const token = s.mailer.lastResetFor('kim@example.org')!
  t.ok(token && token.length >= 40, 'a long random token was mailed to the account address')

  t.equal((await s.confirm(token, 'short')).statusCode, 400, 'the new password obeys the rules')
  t.equal((await s.login(password)).statusCode, 200, 'a refused reset changes nothing')

  const reset = await s.confirm(token)
  t.equal(reset.statusCode, 200)
  t.equal(reset.json().account.email, 'kim@example.org', 'and signs in')
  t.equal((await s.login(password)).statusCode, 401, 'the old password is gone')
  t.equal((await s.login(newPassword)).statusCode, 200)
  t.equal((await s.refresh(s.session.refreshToken)).statusCode, 401, 'earlier sessions ended')
  t.equal((await s.refresh(reset.json().refreshToken)).statusCode, 200, 'the new one lives')

  const again = await s.confirm(token, 'yet another password')
  t.equal(again.statusCode, 400, 'a token works once')
  t.equal(again.json().error.code, 'BAD_REQUEST')
  t.equal((await s.login(newPassword)).statusCode, 200)
})

t.test('an unknown address gets the same answer and nothing is sent', async (t) => {
  const s = await setup(t)
  const known = await s.request()
  const unknown = await s.request('nobody@example.org')
  t.equal(unknown.statusCode, 202)
  t.same(unknown.json(), known.json(), 'no way to tell who has an account')
  t.same(
    s.mailer.resets.map((m) => m.to),
    ['kim@example.org'],
  )
  t.equal(await s.resets(), 1)
  t.equal((await s.request('not an address')).statusCode, 400)
})

t.test('a new request expires the earlier token; tokens expire after 30 minutes', async (t) => {
  const s = await setup(t)
  await s.request()
  const first = s.mailer.lastResetFor('kim@example.org')!
  await s.request()
  const second = s.mailer.lastResetFor('kim@example.org')!
  t.not(first, second)
  t.equal((await s.confirm(first)).statusCode, 400, 'the earlier token no longer works')

  s.clock.advance(30 * 60_000 + 1)
  t.equal((await s.confirm(second)).statusCode, 400, 'nor does an expired one')
  t.equal((await s.login(password)).statusCode, 200)
  await s.request()
  t.equal((await s.confirm(s.mailer.lastResetFor('kim@example.org')!)).statusCode, 200, 'a fresh one does')
})

t.test(`at most ${RESETS_PER_ACCOUNT_PER_DAY} mails a day per account, however many requests`, async (t) => {
  const s = await setup(t)
  const answers = await Promise.all(Array.from({ length: RESETS_PER_ACCOUNT_PER_DAY + 3 }, () => s.request()))
  t.same(new Set(answers.map((a) => a.statusCode)), new Set([202]), 'the answer never changes')
  t.equal(s.mailer.resets.length, RESETS_PER_ACCOUNT_PER_DAY)
  const last = s.mailer.lastResetFor('kim@example.org')!
  s.clock.advance(24 * 3_600_000 + 1)
  await s.request()
  t.equal(s.mailer.resets.length, RESETS_PER_ACCOUNT_PER_DAY + 1, 'a day later the budget is back')
  t.equal((await s.confirm(last)).statusCode, 400)
})

t.test('a token used by many requests at once works for one of them', async (t) => {
  const s = await setup(t)
  await s.request()
  const token = s.mailer.lastResetFor('kim@example.org')!
  const results = await Promise.all(
    Array.from({ length: 5 }, (_, i) => s.confirm(token, `concurrent password ${i}`)),
  )
  const codes = results.map((r) => r.statusCode)
  t.equal(codes.filter((c) => c === 200).length, 1, codes.join(' '))
  t.equal(codes.filter((c) => c === 400).length, 4)
  const winner = codes.indexOf(200)
  t.equal((await s.login(`concurrent password ${winner}`)).statusCode, 200, "the winner's password holds")
})
