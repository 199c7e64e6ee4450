import { sql } from 'drizzle-orm'
import t from 'tap'
import { CODE_MAX_ATTEMPTS, CODE_TTL_MS } from '../../src/claims/service.js'
import { MemoryMailer } from '../../src/infra/mailer.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import {
  movableClock,
  ORCID_ANN,
  registerDomains,
  renew,
  seedCatalogue,
  signUp,
  type TestUser,
} from '../helpers/identity.js'

type App = Awaited<ReturnType<typeof build>>
const claim = (app: App, user: TestUser, id: number, payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: `/v1/researchers/${id}/claims`, headers: user.headers, payload })
const profile = async (app: App, id: number) => (await app.inject({ url: `/v1/researchers/${id}` })).json()

t.test('a matching ORCID is approved at once and lifts the record to L2', async (t) => {
  const app = await build(t)
  const { ann } = await seedCatalogue(app)
  const decided: unknown[] = []
  app.services.events.on('claim:decided', (e) => decided.push(e))
  const user = await signUp(app)
  const res = await claim(app, user, ann, { orcid: `https://orcid.org/${ORCID_ANN}` })
  t.equal(res.statusCode, 201)
  t.match(res.json(), { status: 'approved', proof: 'orcid', stage: null, researcherId: ann })
  t.same(decided, [
    {
      claimId: res.json().id,
      accountId: user.accountId,
      researcherId: ann,
      status: 'approved',
      outboxId: (decided[0] as { outboxId: number }).outboxId,
    },
  ])
  t.type((decided[0] as { outboxId: unknown }).outboxId, 'number', 'stored with the decision')
  const after = await profile(app, ann)
  t.equal(after.claimed, true)
  t.same(
    after.trust,
    { score: 54, label: 'Verified', verificationLevel: 'L2' },
    'L2 40 + claimed 10 + 4 works',
  )
  t.notOk(JSON.stringify(after).includes(String(user.email)), 'no email on the public profile')
  const me = (await app.inject({ url: '/v1/me', headers: user.headers })).json()
  t.equal(me.researcherId, ann)
  const mine = (await app.inject({ url: '/v1/me/claims', headers: user.headers })).json()
  t.equal(mine.items.length, 1)
})

t.test('the rules send unclear cases to the admin queue', async (t) => {
  const app = await build(t)
  const { ann, bob, cai } = await seedCatalogue(app)
  const wrongOrcid = await claim(app, await signUp(app), ann, { orcid: '0000-0001-5109-3700' })
  t.match(wrongOrcid.json(), { status: 'pending', stage: 'in_review', reviewReason: 'orcid_mismatch' })
  const textOnly = await claim(app, await signUp(app), bob, { text: 'I am Bob; see my homepage' })
  t.match(textOnly.json(), { status: 'pending', stage: 'in_review', reviewReason: 'no_proof' })
  const foreignEmail = await claim(app, await signUp(app), cai, { email: 'cai@gmail.com' })
  t.match(foreignEmail.json(), {
    status: 'pending',
    stage: 'in_review',
    reviewReason: 'email_domain_mismatch',
  })

  const admin = await signUp(app, 'admin')
  const queue = (await app.inject({ url: '/v1/admin/claims', headers: admin.headers })).json()
  t.equal(queue.page.total, 3)
  t.match(queue.items[0], {
    researcher: { id: ann, name: 'Ann Lee' },
    evidence: { orcid: '0000-0001-5109-3700' },
    recordClaimed: false,
    competingClaims: 0,
  })
  t.equal((await profile(app, ann)).claimed, false, 'nothing is claimed while in review')
})

t.test('an institutional email is confirmed with a code: hashed, limited tries, expiring', async (t) => {
  const database = await freshDatabase()
  const mailer = new MemoryMailer()
  const clock = movableClock()
  const app = await build(t, { database, mailer, clock })
  const { bob, uni10 } = await seedCatalogue(app)
  const admin = await signUp(app, 'admin')
  const domains = await registerDomains(app, admin, uni10, ['Uni10.edu'])
  t.same(domains.json(), { institutionId: uni10, domains: ['uni10.edu'] })

  const user = await signUp(app)
  const created = (await claim(app, user, bob, { email: 'bob@cs.uni10.edu' })).json()
  t.match(created, { status: 'pending', stage: 'awaiting_email' })
  const code = mailer.lastCodeFor('bob@cs.uni10.edu')!
  t.match(code, /^\d{6}$/)
  const [stored] = await database.rows<{ h: string }>(sql`select code_hash as h from email_confirmations`)
  t.not(stored?.h, code, 'the code is stored hashed')

  const confirm = (c: string) =>
    app.inject({
      method: 'POST',
      url: `/v1/claims/${created.id}/confirm`,
      headers: user.headers,
      payload: { code: c },
    })
  const wrong = code === '000000' ? '111111' : '000000'
  t.equal((await confirm(wrong)).statusCode, 400)
  t.equal((await confirm('12ab')).statusCode, 400, 'a malformed code is a validation error')
  const other = await signUp(app)
  const stranger = await app.inject({
    method: 'POST',
    url: `/v1/claims/${created.id}/confirm`,
    headers: other.headers,
    payload: { code },
  })
  t.equal(stranger.statusCode, 403, "nobody else can use the claimant's code")

  clock.advance(CODE_TTL_MS)
  await renew(app, user)
  t.equal((await confirm(code)).json().error.message, 'The code expired; ask for a new one')
  const resent = await app.inject({
    method: 'POST',
    url: `/v1/claims/${created.id}/code`,
    headers: user.headers,
  })
  t.equal(resent.statusCode, 200)
  const fresh = mailer.lastCodeFor('bob@cs.uni10.edu')!
  if (fresh !== code) t.equal((await confirm(code)).statusCode, 400, 'the old code no longer works')
  const ok = await confirm(fresh)
  t.equal(ok.statusCode, 200)
  t.match(ok.json(), { status: 'approved', proof: 'email' })
  t.equal((await profile(app, bob)).trust.verificationLevel, 'L2')
  t.equal((await confirm(fresh)).statusCode, 409, 'a decided claim takes no more codes')
})

t.test('too many wrong codes lock the code until a new one is sent', async (t) => {
  const mailer = new MemoryMailer()
  const app = await build(t, { mailer })
  const { bob, uni10 } = await seedCatalogue(app)
  const admin = await signUp(app, 'admin')
  await app.services.claims.setInstitutionDomains(uni10, ['uni10.edu'])
  const user = await signUp(app)
  const created = (await claim(app, user, bob, { email: 'bob@uni10.edu' })).json()
  const code = mailer.lastCodeFor('bob@uni10.edu')!
  const wrong = code === '000000' ? '111111' : '000000'
  const confirm = (c: string) =>
    app.inject({
      method: 'POST',
      url: `/v1/claims/${created.id}/confirm`,
      headers: user.headers,
      payload: { code: c },
    })
  for (let i = 0; i < CODE_MAX_ATTEMPTS; i++) t.equal((await confirm(wrong)).statusCode, 400)
  t.equal((await confirm(code)).statusCode, 409, 'even the right code is refused now')
  await app.inject({ method: 'POST', url: `/v1/claims/${created.id}/code`, headers: user.headers })
  t.equal((await confirm(mailer.lastCodeFor('bob@uni10.edu')!)).statusCode, 200)
  t.ok(admin)
})

t.test('a second claimant goes to review; one record per account; release', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { database })
  const { ann, bob } = await seedCatalogue(app)
  const first = await signUp(app)
  const firstClaim = (await claim(app, first, ann, { orcid: ORCID_ANN })).json()
  t.equal(firstClaim.status, 'approved')

  const second = await signUp(app)
  const contested = await claim(app, second, ann, { orcid: ORCID_ANN })
  t.equal(contested.statusCode, 201)
  t.match(contested.json(), { status: 'pending', stage: 'in_review', reviewReason: 'conflict' })
  t.equal(
    (await claim(app, second, ann, { text: 'again' })).statusCode,
    409,
    'one live claim per account and record',
  )

  const own = await claim(app, first, ann, { text: 'me again' })
  t.equal(own.statusCode, 409)
  const another = await claim(app, first, bob, { text: 'also me' })
  t.equal(another.statusCode, 409, 'one record per account')
  t.match(another.json().error.message, /merge/)

  const admin = await signUp(app, 'admin')
  const approve = await app.inject({
    method: 'POST',
    url: `/v1/admin/claims/${contested.json().id}/decision`,
    headers: admin.headers,
    payload: { decision: 'approve' },
  })
  t.equal(approve.statusCode, 409, 'an admin cannot approve over an existing claimant')

  const released = await app.inject({
    method: 'POST',
    url: `/v1/claims/${firstClaim.id}/release`,
    headers: first.headers,
  })
  t.match(released.json(), { status: 'released' })
  t.equal((await profile(app, ann)).claimed, false)
  t.equal((await profile(app, ann)).trust.verificationLevel, 'L1', 'a released claim proves nothing any more')
  const again = await app.inject({
    method: 'POST',
    url: `/v1/claims/${firstClaim.id}/release`,
    headers: first.headers,
  })
  t.equal(again.statusCode, 409)

  const approved = await app.inject({
    method: 'POST',
    url: `/v1/admin/claims/${contested.json().id}/decision`,
    headers: admin.headers,
    payload: { decision: 'approve', note: 'checked the homepage' },
  })
  t.match(approved.json(), { status: 'approved', proof: 'admin' })
  t.match(
    (await profile(app, ann)).trust,
    { verificationLevel: 'L3' },
    'an admin-approved claim is admin-verified',
  )
  const [row] = await database.rows<{ n: number }>(
    sql`select count(*)::int as n from claims where status = 'approved'`,
  )
  t.equal(row?.n, 1)
})

t.test(
  'a record of a person someone else holds (same ORCID) goes to review, whatever the proof',
  async (t) => {
    const database = await freshDatabase()
    const mailer = new MemoryMailer()
    const app = await build(t, { database, mailer })
    const { ann, uni10 } = await seedCatalogue(app)
    const admin = await signUp(app, 'admin')
    await registerDomains(app, admin, uni10, ['uni10.edu'])
    // Ann's split profile: a second record with her ORCID, at her institution.
    const [{ id: annsOther }] = (await database.rows<{ id: number }>(sql`
    insert into researchers (external_id, name, orcid, institution_id)
    values ('A-split', 'A. Lee', ${ORCID_ANN}, ${uni10}) returning id`)) as [{ id: number }]

    // Someone starts an email claim on the other record before Ann claims hers.
    const early = await signUp(app)
    const byEmail = (await claim(app, early, annsOther, { email: 'a.lee@uni10.edu' })).json()
    t.match(byEmail, { status: 'pending', stage: 'awaiting_email' })
    const holder = await signUp(app)
    t.equal((await claim(app, holder, ann, { orcid: ORCID_ANN })).json().status, 'approved')
    const confirmed = await app.inject({
      method: 'POST',
      url: `/v1/claims/${byEmail.id}/confirm`,
      headers: early.headers,
      payload: { code: mailer.lastCodeFor('a.lee@uni10.edu') },
    })
    t.match(confirmed.json(), { status: 'pending', stage: 'in_review', reviewReason: 'conflict' })
    const rejected = await app.inject({
      method: 'POST',
      url: `/v1/admin/claims/${byEmail.id}/decision`,
      headers: admin.headers,
      payload: { decision: 'reject' },
    })
    t.match(rejected.json(), { status: 'rejected' })

    // With no other claim on the record, a matching ORCID alone would approve it at once.
    const other = await signUp(app)
    const byOrcid = await claim(app, other, annsOther, { orcid: ORCID_ANN })
    t.equal(byOrcid.statusCode, 201)
    t.match(byOrcid.json(), { status: 'pending', stage: 'in_review', reviewReason: 'conflict' })
    t.equal((await profile(app, annsOther)).claimed, false, 'nobody holds the other record')
  },
)

t.test('an admin rejects; decided claims cannot be decided again', async (t) => {
  const app = await build(t)
  const { bob } = await seedCatalogue(app)
  const decided: { status: string }[] = []
  app.services.events.on('claim:decided', (e) => decided.push(e))
  const user = await signUp(app)
  const pending = (await claim(app, user, bob, { text: 'trust me' })).json()
  const admin = await signUp(app, 'admin')
  const decide = (decision: string) =>
    app.inject({
      method: 'POST',
      url: `/v1/admin/claims/${pending.id}/decision`,
      headers: admin.headers,
      payload: { decision },
    })
  t.equal((await decide('maybe')).statusCode, 400)
  t.match((await decide('reject')).json(), { status: 'rejected' })
  t.equal((await decide('approve')).statusCode, 409)
  t.same(
    decided.map((e) => e.status),
    ['rejected'],
  )
  const again = await claim(app, user, bob, { text: 'please reconsider' })
  t.equal(again.statusCode, 201, 'a rejected claimant may try again with new evidence')
})

t.test('bad claims are 4xx and store nothing', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { database })
  const { ann } = await seedCatalogue(app)
  const user = await signUp(app)
  for (const [payload, status] of [
    [{}, 400],
    [{ orcid: '0000-0002-1825-0098' }, 400],
    [{ email: 'nope' }, 400],
    [{ text: '' }, 400],
    [{ text: 'x', extra: 1 }, 400],
  ] as const) {
    const res = await claim(app, user, ann, payload)
    t.equal(res.statusCode, status, JSON.stringify(payload))
    t.type(res.json().error.code, 'string')
  }
  t.equal((await claim(app, user, 999_999, { text: 'who?' })).statusCode, 404)
  t.equal(
    (await app.inject({ method: 'POST', url: `/v1/researchers/${ann}/claims`, payload: { text: 'x' } }))
      .statusCode,
    401,
  )
  const [row] = await database.rows<{ n: number }>(sql`select count(*)::int as n from claims`)
  t.equal(row?.n, 0)
})

t.test('two accounts claiming one record at once: exactly one gets it, nobody gets a 5xx', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { database })
  const { ann } = await seedCatalogue(app)
  const users = await Promise.all([signUp(app), signUp(app), signUp(app)])
  const results = await Promise.all(users.map((u) => claim(app, u, ann, { orcid: ORCID_ANN })))
  for (const res of results)
    t.ok(res.statusCode === 201 || res.statusCode === 409, `status ${res.statusCode}`)
  const statuses = results.filter((r) => r.statusCode === 201).map((r) => r.json().status)
  t.equal(statuses.filter((s) => s === 'approved').length, 1)
  const [row] = await database.rows<{ n: number }>(
    sql`select count(*)::int as n from researchers where claimed_by_account_id is not null`,
  )
  t.equal(row?.n, 1)
})
