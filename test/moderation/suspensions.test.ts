import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { MemoryMailer } from '../../src/infra/mailer.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { registerDomains, seedCatalogue, signUp, type TestUser } from '../helpers/identity.js'
import { waitFor } from '../helpers/realtime.js'
import {
  announcedAfterNewLinks,
  claimant,
  clock,
  glacierExperts,
  officerToken,
  seed,
  suggestionsOf,
} from '../matching/fixtures.js'

const suspension = (id: number) => `/v1/admin/researchers/${id}/suspension`

function suspend(app: FastifyInstance, admin: TestUser, id: number, reason = 'A fake profile') {
  return app.inject({ method: 'PUT', url: suspension(id), headers: admin.headers, payload: { reason } })
}

function lift(app: FastifyInstance, admin: TestUser, id: number) {
  return app.inject({ method: 'DELETE', url: suspension(id), headers: admin.headers })
}

t.test(
  'a suspended record leaves suggestions and expert search until the suspension is lifted',
  async (t) => {
    const app = await build(t, { clock })
    const ids = await seed(app)
    const [a, c, e] = [ids.get('A1')!, ids.get('A3')!, ids.get('A5')!]
    const owner = await claimant(app, a)
    const admin = await signUp(app, 'admin')
    const officer = await officerToken(app)
    const listed = async (query = '') =>
      (await suggestionsOf(t, app, a, owner, query)).map((s) => s.researcher.id)
    const experts = () => glacierExperts(t, app, officer)
    const before = await listed()
    t.equal(before[0], c, 'Cara ranks first before')
    t.ok((await listed('countries=DE')).includes(c), 'and passes a filter on her country')
    const expertsBefore = await experts()
    t.equal(expertsBefore[0], e, 'Eve is the glacier expert before')

    const suspended = await suspend(app, admin, c, '  Impersonates a real researcher  ')
    t.equal(suspended.statusCode, 200)
    t.match(suspended.json(), {
      researcher: { id: c, name: 'Cara Chaperone' },
      reason: 'Impersonates a real researcher',
      suspendedByAccountId: admin.accountId,
    })
    t.equal((await suspend(app, admin, e)).statusCode, 200)

    t.same(
      await listed(),
      before.filter((id) => id !== c),
      'the stored ranking is served without her, the rest in their order',
    )
    t.notOk((await listed('countries=DE')).includes(c), 'filtered lists leave her out too')
    t.notOk((await listed('includeCoauthors=true')).includes(c), 'and lists over another pool')
    t.same(
      await experts(),
      expertsBefore.filter((id) => id !== e),
      'expert search leaves Eve out',
    )
    const profile = (await app.inject({ url: `/v1/researchers/${c}` })).json()
    t.equal(profile.suspended, true, 'the public record stays, flagged')
    t.equal((await app.inject({ url: `/v1/researchers/${a}` })).json().suspended, false)

    const list = await app.inject({ url: '/v1/admin/suspensions', headers: admin.headers })
    t.equal(list.statusCode, 200)
    t.same(
      list
        .json()
        .items.map((s: { researcher: { id: number } }) => s.researcher.id)
        .sort(),
      [c, e].sort(),
    )
    t.equal(list.json().page.total, 2)

    const again = await suspend(app, admin, c, 'Confirmed by the institution')
    t.equal(again.json().reason, 'Confirmed by the institution', 'suspending again changes the reason')
    t.equal(again.json().suspendedAt, suspended.json().suspendedAt, 'and keeps the date')

    t.equal((await lift(app, admin, c)).statusCode, 204)
    t.equal((await lift(app, admin, c)).statusCode, 204, 'lifting twice is the same')
    t.equal((await lift(app, admin, e)).statusCode, 204)
    t.same(await listed(), before, 'lifted, she is suggested where she ranks')
    t.same(await experts(), expertsBefore)
    t.equal((await app.inject({ url: `/v1/researchers/${c}` })).json().suspended, false)
  },
)

t.test('a suspended record cannot be claimed, invited or invite', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { clock, database })
  const ids = await seed(app)
  const [a, b, d] = [ids.get('A1')!, ids.get('A2')!, ids.get('A4')!]
  const admin = await signUp(app, 'admin')
  const ada = await claimant(app, a)
  const ben = await claimant(app, b)
  const invite = (headers: Record<string, string>, to: number) =>
    app.inject({
      method: 'POST',
      url: '/v1/invitations',
      headers,
      payload: { inviteeResearcherId: to, message: 'Shall we work together?' },
    })
  const count = async (table: 'claims' | 'invitations') =>
    (await database.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n

  t.equal((await suspend(app, admin, d)).statusCode, 200)
  const claims = await count('claims')
  const someone = await signUp(app)
  const claim = await app.inject({
    method: 'POST',
    url: `/v1/researchers/${d}/claims`,
    headers: someone.headers,
    payload: { text: 'this is me' },
  })
  t.equal(claim.statusCode, 409)
  t.match(claim.json().error, { code: 'CONFLICT', details: { reason: 'RECORD_SUSPENDED' } })
  t.equal(await count('claims'), claims, 'no claim is stored')

  const pending = await invite(ben, a)
  t.equal(pending.statusCode, 201)
  t.equal((await suspend(app, admin, b)).statusCode, 200)
  const statusOf = async () =>
    (await app.inject({ url: `/v1/invitations/${pending.json().id}`, headers: ada })).json().status
  await waitFor(async () => (await statusOf()) === 'expired')
  const accepted = await app.inject({
    method: 'POST',
    url: `/v1/invitations/${pending.json().id}/accept`,
    headers: ada,
  })
  t.equal(accepted.statusCode, 409, "the suspended record's pending invitation lapsed")
  const toSuspended = await invite(ada, b)
  t.equal(toSuspended.statusCode, 409)
  t.match(toSuspended.json().error.details, { reason: 'INVITEE_SUSPENDED' })
  const fromSuspended = await invite(ben, a)
  t.equal(fromSuspended.statusCode, 403, "a suspended record's claimant cannot invite")
  t.equal(await count('invitations'), 1, 'only the lapsed one')

  t.equal((await lift(app, admin, b)).statusCode, 204)
  t.equal((await invite(ada, b)).statusCode, 201, 'lifted, the invitation goes through')
})

t.test('a suspended record is never announced as a new suggestion', async (t) => {
  const announced = (suspendFay: boolean) =>
    announcedAfterNewLinks(
      t,
      () => build(t, { clock }),
      async (app, _owner, _ada, fay) => {
        if (suspendFay) t.equal((await suspend(app, await signUp(app, 'admin'), fay)).statusCode, 200)
      },
    )
  const control = await announced(false)
  t.same(control.events, [control.fayId], 'without the suspension she is announced')
  t.ok(control.listed)
  const suspended = await announced(true)
  t.same(suspended.events, [], 'suspended, she is not')
  t.notOk(suspended.listed)
})

t.test('suspensions: operators only, and bad input changes nothing', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { database })
  const ids = await seed(app)
  const c = ids.get('A3')!
  const admin = await signUp(app, 'admin')
  const researcher = await signUp(app)
  const stored = async () =>
    (await database.rows<{ n: number }>(sql`select count(*)::int as n from researcher_suspensions`))[0]!.n
  const cases: [string, string, string, object | undefined, Record<string, string>, number][] = [
    ['no token', 'PUT', suspension(c), { reason: 'x' }, {}, 401],
    ['a researcher', 'PUT', suspension(c), { reason: 'x' }, researcher.headers, 403],
    ['a researcher lifting', 'DELETE', suspension(c), undefined, researcher.headers, 403],
    ['a researcher listing', 'GET', '/v1/admin/suspensions', undefined, researcher.headers, 403],
    ['no reason', 'PUT', suspension(c), {}, admin.headers, 400],
    ['a blank reason', 'PUT', suspension(c), { reason: '   ' }, admin.headers, 400],
    ['an unknown field', 'PUT', suspension(c), { reason: 'x', until: 'never' }, admin.headers, 400],
    ['an overlong reason', 'PUT', suspension(c), { reason: 'x'.repeat(2001) }, admin.headers, 400],
    ['an unknown record', 'PUT', suspension(999_999), { reason: 'x' }, admin.headers, 404],
    ['lifting on an unknown record', 'DELETE', suspension(999_999), undefined, admin.headers, 404],
    ['a malformed id', 'PUT', '/v1/admin/researchers/abc/suspension', { reason: 'x' }, admin.headers, 400],
    ['a page out of range', 'GET', '/v1/admin/suspensions?limit=1000', undefined, admin.headers, 400],
  ]
  for (const [what, method, url, payload, headers, status] of cases) {
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload ? { payload } : {}),
    })
    t.equal(res.statusCode, status, what)
    t.type(res.json().error.code, 'string', `${what}: a JSON error`)
  }
  t.equal(await stored(), 0, 'nothing was suspended')
})

t.test('a pending email claim confirmed after a suspension goes to a person, not through', async (t) => {
  const mailer = new MemoryMailer()
  const app = await build(t, { mailer })
  const { bob, uni10 } = await seedCatalogue(app)
  const admin = await signUp(app, 'admin')
  await registerDomains(app, admin, uni10, ['uni10.edu'])
  const user = await signUp(app)
  const created = await app.inject({
    method: 'POST',
    url: `/v1/researchers/${bob}/claims`,
    headers: user.headers,
    payload: { email: 'bob@uni10.edu' },
  })
  t.match(created.json(), { status: 'pending', stage: 'awaiting_email' })
  t.equal((await suspend(app, admin, bob)).statusCode, 200)
  const confirmed = await app.inject({
    method: 'POST',
    url: `/v1/claims/${created.json().id}/confirm`,
    headers: user.headers,
    payload: { code: mailer.lastCodeFor('bob@uni10.edu')! },
  })
  t.equal(confirmed.statusCode, 200)
  t.match(confirmed.json(), { status: 'pending', stage: 'in_review' })
  t.equal(
    (await app.inject({ url: `/v1/researchers/${bob}` })).json().claimed,
    false,
    'the record stays unclaimed',
  )
})
