import t from 'tap'
import { CODE_MAX_ATTEMPTS, CODES_PER_RECORD_PER_DAY } from '../../src/claims/service.js'
import { MemoryMailer } from '../../src/infra/mailer.js'
import { build } from '../helpers/build.js'
import { movableClock, renew, seedCatalogue, signUp } from '../helpers/identity.js'

t.test('a record gets a bounded number of email codes a day, across claims and claimants', async (t) => {
  const mailer = new MemoryMailer()
  const clock = movableClock()
  const app = await build(t, { mailer, clock })
  const { bob, uni10 } = await seedCatalogue(app)
  await app.services.claims.setInstitutionDomains(uni10, ['uni10.edu'])
  const email = 'bob@uni10.edu'
  const user = await signUp(app)
  const post = (url: string, payload?: object) =>
    app.inject({ method: 'POST', url, headers: user.headers, ...(payload ? { payload } : {}) })

  let claim = (await post(`/v1/researchers/${bob}/claims`, { email })).json() as { id: number }
  const statuses: number[] = []
  for (let i = 1; i < CODES_PER_RECORD_PER_DAY; i++)
    statuses.push((await post(`/v1/claims/${claim.id}/code`)).statusCode)
  t.same(statuses, Array(CODES_PER_RECORD_PER_DAY - 1).fill(200))
  t.equal(mailer.sent.length, CODES_PER_RECORD_PER_DAY)

  const refused = await post(`/v1/claims/${claim.id}/code`)
  t.equal(refused.statusCode, 429)
  t.equal(refused.json().error.code, 'RATE_LIMITED')
  t.equal(mailer.sent.length, CODES_PER_RECORD_PER_DAY, 'nothing more was mailed')
  const wrong = mailer.lastCodeFor(email) === '000000' ? '111111' : '000000'
  for (let i = 0; i < CODE_MAX_ATTEMPTS; i++) await post(`/v1/claims/${claim.id}/confirm`, { code: wrong })
  t.equal((await post(`/v1/claims/${claim.id}/code`)).statusCode, 429, 'spent guesses buy no new code')

  // Releasing and claiming again (or as another account) does not open a new budget.
  t.equal((await post(`/v1/claims/${claim.id}/release`)).statusCode, 200)
  const again = await post(`/v1/researchers/${bob}/claims`, { email })
  t.equal(again.statusCode, 429)
  const other = await signUp(app)
  const byOther = await app.inject({
    method: 'POST',
    url: `/v1/researchers/${bob}/claims`,
    headers: other.headers,
    payload: { email: 'robert@uni10.edu' },
  })
  t.equal(byOther.statusCode, 429)
  t.same(
    (await app.inject({ url: '/v1/me/claims', headers: other.headers })).json().items,
    [],
    'a refused claim is not stored',
  )
  t.equal(mailer.sent.length, CODES_PER_RECORD_PER_DAY)

  // A day later the record gets codes again.
  clock.advance(24 * 3600_000)
  await renew(app, user)
  const next = await post(`/v1/researchers/${bob}/claims`, { email })
  t.equal(next.statusCode, 201)
  claim = next.json()
  const ok = await post(`/v1/claims/${claim.id}/confirm`, { code: mailer.lastCodeFor(email)! })
  t.match(ok.json(), { status: 'approved', proof: 'email' })
})
