import { type SQL, sql } from 'drizzle-orm'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { CODES_PER_RECORD_PER_DAY } from '../../src/claims/service.js'
import type { Database } from '../../src/infra/db/database.js'
import { MemoryMailer } from '../../src/infra/mailer.js'
import type { Ack, InvitationView, SentMessage } from '../../src/realtime/contract.js'
import { build } from '../helpers/build.js'
import { openConversation } from '../helpers/conversation.js'
import { freshDatabase } from '../helpers/database.js'
import { ORCID_ANN, seedCatalogue, signUp, type TestUser } from '../helpers/identity.js'
import { createMember, type Member } from '../helpers/members.js'
import { ask, buildListening, connect } from '../helpers/realtime.js'

/**
 * The same request sent several times at once (a double click, two tabs, a retry storm) is never a
 * 5xx or an INTERNAL ack, never stores a duplicate and leaves the state one of the answers describes:
 * the winner's 2xx and a documented 4xx for the rest, or the same idempotent 2xx for all.
 * PostgreSQL is where these races are real (PGlite runs one statement at a time).
 */

const N = 10

type Response = LightMyRequestResponse

/** `n` copies of one request, all in flight at once. */
const burst = <T>(n: number, send: (i: number) => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: n }, (_, i) => send(i)))

/** How many answers had each status, e.g. { 201: 1, 409: 9 }. */
function tally(responses: readonly Response[]): Record<number, number> {
  const out: Record<number, number> = {}
  for (const r of responses) out[r.statusCode] = (out[r.statusCode] ?? 0) + 1
  return out
}

function noServerErrors(t: Test, responses: readonly Response[], what: string): void {
  t.same(
    responses.filter((r) => r.statusCode >= 500).map((r) => `${r.statusCode} ${r.body}`),
    [],
    `${what}: no 5xx`,
  )
}

function noInternalAcks(t: Test, acks: readonly Ack<unknown>[], what: string): void {
  t.same(
    acks.filter((a) => !a.ok && a.error.code === 'INTERNAL'),
    [],
    `${what}: no INTERNAL ack`,
  )
}

/** Only 4xx answers carry a JSON error with a code; every loser must say why. */
function losersSay(t: Test, responses: readonly Response[], status: number, code: string, what: string) {
  const codes = responses.filter((r) => r.statusCode === status).map((r) => r.json().error?.code)
  t.ok(
    codes.every((c) => c === code),
    `${what}: every ${status} is ${code}`,
  )
}

async function count(database: Database, query: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`select (${query})::int as n`)
  return row!.n
}

const as = (user: { headers: { authorization: string } } | Member) =>
  'headers' in user ? user.headers : { authorization: `Bearer ${user.token}` }

function request(
  app: FastifyInstance,
  method: InjectOptions['method'],
  url: string,
  who?: TestUser | Member,
  payload?: object,
) {
  return app.inject({
    method,
    url,
    ...(who ? { headers: as(who) } : {}),
    ...(payload ? { payload } : {}),
  })
}

t.test('accounts', async (t) => {
  t.test('register with one email ten times at once: one account, one 201, nine 409', async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const responses = await burst(N, (i) =>
      request(app, 'POST', '/v1/auth/register', undefined, {
        // The same address, as people type it.
        email: i % 2 === 0 ? 'twin@example.org' : 'Twin@Example.ORG',
        password: 'correct horse battery staple',
        displayName: `Twin ${i}`,
      }),
    )
    noServerErrors(t, responses, 'register')
    t.same(tally(responses), { 201: 1, 409: N - 1 })
    losersSay(t, responses, 409, 'CONFLICT', 'register')
    t.equal(await count(database, sql`select count(*) from accounts where email = 'twin@example.org'`), 1)
    const winner = responses.find((r) => r.statusCode === 201)!.json()
    t.equal(
      await count(database, sql`select count(*) from refresh_tokens where account_id = ${winner.account.id}`),
      1,
      'one session, the winner’s',
    )
  })

  /**
   * Rotation is single-use and a reused token ends every session of the account. Requests sent
   * together cannot tell the owner from a thief, so the session minted by the one that won the race
   * must end too: otherwise whoever is a few milliseconds faster keeps a session the reuse was
   * meant to end.
   */
  t.test('one refresh token used at once: one new pair, and the reuse ends it too', async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    for (const copies of [N, 2, 2, 2, 2, 2]) {
      const user = await signUp(app)
      const responses = await burst(copies, () =>
        request(app, 'POST', '/v1/auth/refresh', undefined, { refreshToken: user.refreshToken }),
      )
      noServerErrors(t, responses, 'refresh')
      t.same(tally(responses), { 200: 1, 401: copies - 1 }, `${copies} at once: one new pair`)
      const live = await count(
        database,
        sql`select count(*) from refresh_tokens where account_id = ${user.accountId} and revoked_at is null`,
      )
      t.equal(live, 0, `${copies} at once: no refresh token of the account outlives the reuse`)
      const minted = responses.find((r) => r.statusCode === 200)!.json().refreshToken
      const again = await request(app, 'POST', '/v1/auth/refresh', undefined, { refreshToken: minted })
      t.equal(again.statusCode, 401, 'the pair minted by the race winner no longer refreshes')
    }
  })

  t.test('logout with one token at once: all 204, the token revoked', async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const user = await signUp(app)
    const responses = await burst(N, () =>
      request(app, 'POST', '/v1/auth/logout', undefined, { refreshToken: user.refreshToken }),
    )
    noServerErrors(t, responses, 'logout')
    t.same(tally(responses), { 204: N })
    t.equal(
      await count(
        database,
        sql`select count(*) from refresh_tokens where account_id = ${user.accountId} and revoked_at is null`,
      ),
      0,
    )
  })

  t.test('an admin sets the same role at once: all 200', async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const admin = await signUp(app, 'admin')
    const user = await signUp(app)
    const responses = await burst(N, () =>
      request(app, 'PUT', `/v1/admin/accounts/${user.accountId}/role`, admin, { role: 'programme_officer' }),
    )
    noServerErrors(t, responses, 'role')
    t.same(tally(responses), { 200: N })
  })
})

t.test('claims', async (t) => {
  const claimsOf = (database: Database, researcherId: number, status: string) =>
    count(
      database,
      sql`select count(*) from claims where researcher_id = ${researcherId} and status = ${status}::claim_status`,
    )

  t.test('one claim sent ten times at once: one pending claim, nine 409', async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const { bob } = await seedCatalogue(app)
    const user = await signUp(app)
    const responses = await burst(N, () =>
      request(app, 'POST', `/v1/researchers/${bob}/claims`, user, { text: 'I am Bob; see my homepage' }),
    )
    noServerErrors(t, responses, 'claim')
    t.same(tally(responses), { 201: 1, 409: N - 1 })
    losersSay(t, responses, 409, 'CONFLICT', 'claim')
    t.equal(await claimsOf(database, bob, 'pending'), 1)
    t.equal(await count(database, sql`select count(*) from claims`), 1)
  })

  t.test('an ORCID claim sent ten times at once: one approval, one decision event', async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const { ann } = await seedCatalogue(app)
    const decided: unknown[] = []
    app.services.events.on('claim:decided', (e) => decided.push(e))
    const user = await signUp(app)
    const responses = await burst(N, () =>
      request(app, 'POST', `/v1/researchers/${ann}/claims`, user, { orcid: ORCID_ANN }),
    )
    noServerErrors(t, responses, 'claim')
    t.same(tally(responses), { 201: 1, 409: N - 1 })
    t.equal(await claimsOf(database, ann, 'approved'), 1)
    t.equal(await count(database, sql`select count(*) from claims`), 1)
    t.equal(decided.length, 1, 'the approval is announced once')
    t.equal(
      await count(
        database,
        sql`select count(*) from researchers where claimed_by_account_id = ${user.accountId}`,
      ),
      1,
    )
  })

  /** A claim waiting for an admin, and two admins to decide it. */
  async function inReview(t: Test) {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const { bob } = await seedCatalogue(app)
    const claimant = await signUp(app)
    const created = await request(app, 'POST', `/v1/researchers/${bob}/claims`, claimant, {
      text: 'I am Bob; see my homepage',
    })
    t.equal(created.statusCode, 201)
    const decided: { status: string }[] = []
    app.services.events.on('claim:decided', (e) => decided.push(e))
    const admins = [await signUp(app, 'admin'), await signUp(app, 'admin')]
    return { database, app, bob, claimant, claimId: created.json().id as number, admins, decided }
  }

  t.test('two operators approve one claim at once: one 200, the rest 409', async (t) => {
    const { database, app, bob, claimId, admins, decided } = await inReview(t)
    const responses = await burst(N, (i) =>
      request(app, 'POST', `/v1/admin/claims/${claimId}/decision`, admins[i % 2], { decision: 'approve' }),
    )
    noServerErrors(t, responses, 'decision')
    t.same(tally(responses), { 200: 1, 409: N - 1 })
    losersSay(t, responses, 409, 'CONFLICT', 'decision')
    t.equal(await claimsOf(database, bob, 'approved'), 1)
    t.equal(await count(database, sql`select count(*) from researcher_verifications`), 1)
    t.equal(decided.length, 1, 'one decision event')
  })

  t.test('approve and reject race: one decision, and the claim says which', async (t) => {
    const { database, app, bob, claimId, admins, decided } = await inReview(t)
    const decisions = ['approve', 'reject'] as const
    const responses = await burst(N, (i) =>
      request(app, 'POST', `/v1/admin/claims/${claimId}/decision`, admins[i % 2], {
        decision: decisions[i % 2],
      }),
    )
    noServerErrors(t, responses, 'decision')
    t.same(tally(responses), { 200: 1, 409: N - 1 })
    const winner = responses.find((r) => r.statusCode === 200)!.json()
    const [stored] = await database.rows<{ status: string }>(
      sql`select status from claims where id = ${claimId}`,
    )
    t.equal(stored!.status, winner.status, 'the stored decision is the one answered 200')
    t.equal(
      await count(
        database,
        sql`select count(*) from researchers where id = ${bob} and claimed_by_account_id is not null`,
      ),
      winner.status === 'approved' ? 1 : 0,
    )
    t.same(
      decided.map((d) => d.status),
      [winner.status],
    )
  })

  t.test('a claim released ten times at once: one 200, the rest 409', async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const { ann } = await seedCatalogue(app)
    const user = await signUp(app)
    const created = await request(app, 'POST', `/v1/researchers/${ann}/claims`, user, { orcid: ORCID_ANN })
    const responses = await burst(N, () =>
      request(app, 'POST', `/v1/claims/${created.json().id}/release`, user),
    )
    noServerErrors(t, responses, 'release')
    t.same(tally(responses), { 200: 1, 409: N - 1 })
    t.equal(
      await count(database, sql`select count(*) from researchers where claimed_by_account_id is not null`),
      0,
    )
  })

  t.test('email codes: resend and confirm at once leave one live code and one approval', async (t) => {
    const database = await freshDatabase()
    const mailer = new MemoryMailer()
    const app = await build(t, { database, mailer })
    const { bob, uni10 } = await seedCatalogue(app)
    const admin = await signUp(app, 'admin')
    const domains = await burst(N, () =>
      request(app, 'PUT', `/v1/admin/institutions/${uni10}/domains`, admin, {
        domains: ['uni10.edu', 'lab.uni10.edu'],
      }),
    )
    noServerErrors(t, domains, 'domains')
    t.same(tally(domains), { 200: N }, 'setting the same domains at once: all 200')
    t.equal(
      await count(database, sql`select count(*) from institution_domains where institution_id = ${uni10}`),
      2,
      'exactly the domains given',
    )

    const user = await signUp(app)
    const created = await request(app, 'POST', `/v1/researchers/${bob}/claims`, user, {
      email: 'bob@uni10.edu',
    })
    t.match(created.json(), { status: 'pending', stage: 'awaiting_email' })
    const claimId = created.json().id as number
    // The record's daily code budget counts the first code and the last resend below too.
    const resends = CODES_PER_RECORD_PER_DAY - 2
    const resent = await burst(resends, () => request(app, 'POST', `/v1/claims/${claimId}/code`, user))
    noServerErrors(t, resent, 'resend')
    t.same(tally(resent), { 200: resends })
    t.equal(
      await count(
        database,
        sql`select count(*) from email_confirmations where claim_id = ${claimId} and consumed_at is null`,
      ),
      1,
      'one live code',
    )
    // Mails leave after their commits, in no particular order: a last resend says which code is live.
    t.equal((await request(app, 'POST', `/v1/claims/${claimId}/code`, user)).statusCode, 200)
    const code = mailer.sent.at(-1)!.code
    t.equal(
      (await request(app, 'POST', `/v1/claims/${claimId}/code`, user)).statusCode,
      429,
      'the budget is spent, concurrent resends included',
    )
    const confirmed = await burst(N, () =>
      request(app, 'POST', `/v1/claims/${claimId}/confirm`, user, { code }),
    )
    noServerErrors(t, confirmed, 'confirm')
    t.equal(tally(confirmed)[200], 1, 'one confirmation wins')
    t.ok(
      confirmed.every((r) => r.statusCode === 200 || r.statusCode === 409),
      `the rest are 409: ${JSON.stringify(tally(confirmed))}`,
    )
    t.equal(await claimsOf(database, bob, 'approved'), 1)
  })
})

t.test('follows', async (t) => {
  t.test('follow ten times at once: one row, one announcement, all 200', async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const { ann } = await seedCatalogue(app)
    const created: unknown[] = []
    app.services.events.on('follow:created', (e) => created.push(e))
    const user = await signUp(app)
    const responses = await burst(N, () => request(app, 'PUT', `/v1/researchers/${ann}/follow`, user))
    noServerErrors(t, responses, 'follow')
    t.same(tally(responses), { 200: N })
    t.ok(
      responses.every((r) => r.json().following === true && r.json().followers === 1),
      'every answer says: following, one follower',
    )
    t.equal(await count(database, sql`select count(*) from follows`), 1)
    t.equal(created.length, 1, 'the new follower is announced once')

    const unfollowed = await burst(N, () => request(app, 'DELETE', `/v1/researchers/${ann}/follow`, user))
    noServerErrors(t, unfollowed, 'unfollow')
    t.same(tally(unfollowed), { 200: N })
    t.equal(await count(database, sql`select count(*) from follows`), 0)

    const mixed = await burst(N, (i) =>
      request(app, i % 2 === 0 ? 'PUT' : 'DELETE', `/v1/researchers/${ann}/follow`, user),
    )
    noServerErrors(t, mixed, 'follow and unfollow')
    t.same(tally(mixed), { 200: N })
    const rows = await count(database, sql`select count(*) from follows`)
    t.ok(rows <= 1)
    const profile = await request(app, 'GET', `/v1/researchers/${ann}`, user)
    t.equal(profile.json().counts.followers, rows, 'the profile agrees with the table')
    t.equal(profile.json().viewer.following, rows === 1)
  })
})

t.test('invitations over HTTP', async (t) => {
  async function pair(t: Test) {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const member = (name: string) => createMember(database, app.services.tokens, { name })
    const [ann, bob] = await Promise.all([member('Ann'), member('Bob')])
    return { database, app, ann, bob }
  }
  const invite = (app: FastifyInstance, from: Member, to: Member) =>
    request(app, 'POST', '/v1/invitations', from, {
      inviteeResearcherId: to.researcherId,
      message: 'Shall we write together?',
    })
  const pending = (database: Database) =>
    count(database, sql`select count(*) from invitations where status = 'pending'`)

  t.test('one invitation sent ten times at once: one 201, nine 409, one notification', async (t) => {
    const { database, app, ann, bob } = await pair(t)
    const responses = await burst(N, () => invite(app, ann, bob))
    noServerErrors(t, responses, 'send')
    t.same(tally(responses), { 201: 1, 409: N - 1 })
    losersSay(t, responses, 409, 'CONFLICT', 'send')
    t.equal(await count(database, sql`select count(*) from invitations`), 1)
    t.equal(
      await count(database, sql`select count(*) from notifications where type = 'invitation:received'`),
      1,
    )
  })

  t.test('both invite each other at once: one invitation for the pair', async (t) => {
    const { database, app, ann, bob } = await pair(t)
    const responses = await burst(N, (i) => (i % 2 === 0 ? invite(app, ann, bob) : invite(app, bob, ann)))
    noServerErrors(t, responses, 'send')
    t.same(tally(responses), { 201: 1, 409: N - 1 })
    t.equal(await pending(database), 1)
    t.equal(await count(database, sql`select count(*) from invitations`), 1)
  })

  for (const action of ['accept', 'decline', 'withdraw'] as const) {
    t.test(`${action} ten times at once: one 200, nine 409`, async (t) => {
      const { database, app, ann, bob } = await pair(t)
      const sent = (await invite(app, ann, bob)).json() as InvitationView
      const actor = action === 'withdraw' ? ann : bob
      const responses = await burst(N, () =>
        request(app, 'POST', `/v1/invitations/${sent.id}/${action}`, actor),
      )
      noServerErrors(t, responses, action)
      t.same(tally(responses), { 200: 1, 409: N - 1 })
      losersSay(t, responses, 409, 'CONFLICT', action)
      t.equal(await pending(database), 0)
      t.equal(
        await count(database, sql`select count(*) from conversations`),
        action === 'accept' ? 1 : 0,
        'a conversation only for an acceptance',
      )
      t.equal(
        await count(database, sql`select count(*) from conversation_members`),
        action === 'accept' ? 2 : 0,
      )
      t.equal(
        await count(database, sql`select count(*) from notifications where type = 'invitation:updated'`),
        1,
        'both sides hear of it once',
      )
    })
  }

  t.test('accept and withdraw race: one wins and the invitation says which', async (t) => {
    const { database, app, ann, bob } = await pair(t)
    const sent = (await invite(app, ann, bob)).json() as InvitationView
    const responses = await burst(N, (i) =>
      i % 2 === 0
        ? request(app, 'POST', `/v1/invitations/${sent.id}/accept`, bob)
        : request(app, 'POST', `/v1/invitations/${sent.id}/withdraw`, ann),
    )
    noServerErrors(t, responses, 'accept/withdraw')
    t.same(tally(responses), { 200: 1, 409: N - 1 })
    const winner = responses.find((r) => r.statusCode === 200)!.json() as InvitationView
    const [stored] = await database.rows<{ status: string; conversationId: number | null }>(
      sql`select status, conversation_id as "conversationId" from invitations where id = ${sent.id}`,
    )
    t.equal(stored!.status, winner.status)
    t.equal(
      await count(database, sql`select count(*) from conversations`),
      winner.status === 'accepted' ? 1 : 0,
    )
    t.equal(stored!.conversationId, winner.conversationId)
  })
})

t.test('blocks and reports', async (t) => {
  t.test('block ten times at once: one row, all 200; unblock: one 204, the rest 404', async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const [ann, bob] = await Promise.all([
      createMember(database, app.services.tokens, { name: 'Ann' }),
      createMember(database, app.services.tokens, { name: 'Bob' }),
    ])
    const responses = await burst(N, () => request(app, 'PUT', `/v1/blocks/${bob.researcherId}`, ann))
    noServerErrors(t, responses, 'block')
    t.same(tally(responses), { 200: N })
    t.equal(await count(database, sql`select count(*) from blocks`), 1)
    const lifted = await burst(N, () => request(app, 'DELETE', `/v1/blocks/${bob.researcherId}`, ann))
    noServerErrors(t, lifted, 'unblock')
    t.same(tally(lifted), { 204: 1, 404: N - 1 })
    t.equal(await count(database, sql`select count(*) from blocks`), 0)
  })

  t.test('one report sent ten times at once: one row, counted once', async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const { ann } = await seedCatalogue(app)
    const before = (await request(app, 'GET', `/v1/researchers/${ann}`)).json().trust.score
    const user = await signUp(app)
    const responses = await burst(N, () =>
      request(app, 'POST', `/v1/researchers/${ann}/reports`, user, { reason: 'This is not a real person' }),
    )
    noServerErrors(t, responses, 'report')
    t.same(tally(responses), { 204: N })
    t.equal(await count(database, sql`select count(*) from record_reports`), 1)
    t.equal((await request(app, 'GET', `/v1/researchers/${ann}`)).json().trust.score, before - 10)

    const admins = [await signUp(app, 'admin'), await signUp(app, 'admin')]
    const [report] = await database.rows<{ id: number }>(sql`select id from record_reports`)
    const decided = await burst(N, (i) =>
      request(app, 'POST', `/v1/admin/reports/${report!.id}/decision`, admins[i % 2], {
        decision: i % 2 === 0 ? 'dismiss' : 'uphold',
      }),
    )
    noServerErrors(t, decided, 'report decision')
    t.same(tally(decided), { 200: 1, 409: N - 1 })
    const winner = decided.find((r) => r.statusCode === 200)!.json()
    const [stored] = await database.rows<{ status: string }>(sql`select status from record_reports`)
    t.equal(stored!.status, winner.status, 'the stored decision is the one answered 200')

    const vouched = await burst(N, (i) =>
      request(app, 'PUT', `/v1/admin/researchers/${ann}/verification`, admins[i % 2]),
    )
    noServerErrors(t, vouched, 'verification')
    t.same(tally(vouched), { 200: N })
    t.equal(await count(database, sql`select count(*) from researcher_verifications`), 1)
  })
})

t.test('merges', async (t) => {
  t.test('two records merged into each other ten times at once: one merge, one record left', async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const { bob, cai } = await seedCatalogue(app)
    const admins = [await signUp(app, 'admin'), await signUp(app, 'admin')]
    const works = await count(
      database,
      sql`select count(distinct work_id) from authorships where researcher_id in (${bob}, ${cai})`,
    )
    const responses = await burst(N, (i) =>
      request(app, 'POST', `/v1/admin/researchers/${i % 2 === 0 ? bob : cai}/merge`, admins[i % 2], {
        duplicateId: i % 2 === 0 ? cai : bob,
      }),
    )
    noServerErrors(t, responses, 'merge')
    t.same(tally(responses), { 200: 1, 404: N - 1 })
    losersSay(t, responses, 404, 'NOT_FOUND', 'merge')
    const survivor = responses.find((r) => r.statusCode === 200)!.json().researcher.id
    const left = await database.rows<{ id: number }>(
      sql`select id from researchers where id in (${bob}, ${cai})`,
    )
    t.same(left, [{ id: survivor }], 'the survivor the winner named')
    t.equal(await count(database, sql`select count(*) from researcher_merges`), 1)
    t.equal(
      await count(database, sql`select count(*) from authorships where researcher_id = ${survivor}`),
      works,
      'every work of the two, once',
    )
  })

  t.test('a merge racing a claim on the duplicate: the claim is refused or the merge is', async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const { bob, cai } = await seedCatalogue(app)
    const admin = await signUp(app, 'admin')
    const claimant = await signUp(app)
    const [merged, claimed] = await Promise.all([
      request(app, 'POST', `/v1/admin/researchers/${bob}/merge`, admin, { duplicateId: cai }),
      request(app, 'POST', `/v1/researchers/${cai}/claims`, claimant, { text: 'this is me' }),
    ])
    noServerErrors(t, [merged, claimed], 'merge and claim')
    const outcome = `${merged.statusCode} ${claimed.statusCode}`
    t.ok(['200 404', '409 201'].includes(outcome), `merge first or claim first (${outcome})`)
    const claims = await count(database, sql`select count(*) from claims where researcher_id = ${cai}`)
    t.equal(claims, merged.statusCode === 200 ? 0 : 1, 'a claim only on a record that still exists')
  })
  t.test("a claimant's merge racing the release of their claim: merged while held, or refused", async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const { ann } = await seedCatalogue(app)
    const author = { id: 'A-ann-2', display_name: 'A. Author', orcid: ORCID_ANN }
    await app.services.ingest.importBatch([{ id: 'W-ann-2', title: 'Another', authorships: [{ author }] }])
    const [other] = (await request(app, 'GET', `/v1/researchers/${ann}`)).json().sameOrcid
    const owner = await signUp(app)
    const claim = (
      await request(app, 'POST', `/v1/researchers/${ann}/claims`, owner, { orcid: ORCID_ANN })
    ).json()
    t.equal(claim.status, 'approved')
    const [released, merged] = await Promise.all([
      request(app, 'POST', `/v1/claims/${claim.id}/release`, owner),
      request(app, 'POST', `/v1/researchers/${ann}/merge`, owner, { duplicateId: other.id }),
    ])
    noServerErrors(t, [merged, released], 'merge and release')
    const outcome = `${merged.statusCode} ${released.statusCode}`
    t.ok(['200 200', '403 200'].includes(outcome), `merge first or release first (${outcome})`)
    const left = await count(database, sql`select count(*) from researchers where id = ${other.id}`)
    t.equal(left, merged.statusCode === 200 ? 0 : 1, 'the other record went only with the merge')
  })
})

t.test('settings and works', async (t) => {
  t.test('the same settings PATCH ten times at once: all 200, exactly the lists given', async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const { ann } = await seedCatalogue(app)
    const user = await signUp(app)
    t.equal(
      (await request(app, 'POST', `/v1/researchers/${ann}/claims`, user, { orcid: ORCID_ANN })).statusCode,
      201,
    )
    const topicIds = (
      await database.rows<{ id: number }>(sql`select id from topics order by id limit 2`)
    ).map((r) => r.id)
    const workIds = (
      await database.rows<{ id: number }>(
        sql`select work_id as id from authorships where researcher_id = ${ann} order by work_id limit 2`,
      )
    ).map((r) => r.id)
    t.equal(topicIds.length, 2)
    t.equal(workIds.length, 2)
    const body = { openToCollaborate: true, emphasisedTopicIds: topicIds, excludedWorkIds: workIds }
    const responses = await burst(N, () =>
      request(app, 'PATCH', `/v1/researchers/${ann}/settings`, user, body),
    )
    noServerErrors(t, responses, 'settings')
    t.same(tally(responses), { 200: N })
    for (const r of responses.filter((r) => r.statusCode === 200)) t.same(r.json(), body)
    t.equal(await count(database, sql`select count(*) from researcher_emphasised_topics`), 2)
    t.equal(await count(database, sql`select count(*) from researcher_excluded_works`), 2)

    // Lists alone: nothing else in the PATCH touches the record's row.
    const lists = { emphasisedTopicIds: [topicIds[1]!], excludedWorkIds: [workIds[0]!] }
    const listsOnly = await burst(N, () =>
      request(app, 'PATCH', `/v1/researchers/${ann}/settings`, user, lists),
    )
    noServerErrors(t, listsOnly, 'settings, lists only')
    t.same(tally(listsOnly), { 200: N })
    t.equal(await count(database, sql`select count(*) from researcher_emphasised_topics`), 1)
    t.equal(await count(database, sql`select count(*) from researcher_excluded_works`), 1)

    // Two different edits at once: the stored lists are one of them, not a mix.
    const other = { emphasisedTopicIds: [topicIds[0]!], excludedWorkIds: [] }
    const mixed = await burst(N, (i) =>
      request(app, 'PATCH', `/v1/researchers/${ann}/settings`, user, i % 2 === 0 ? body : other),
    )
    noServerErrors(t, mixed, 'settings')
    t.same(tally(mixed), { 200: N })
    const stored = (await request(app, 'GET', `/v1/researchers/${ann}/settings`, user)).json()
    t.ok(
      (stored.emphasisedTopicIds.length === 2 && stored.excludedWorkIds.length === 2) ||
        (stored.emphasisedTopicIds.length === 1 && stored.excludedWorkIds.length === 0),
      `one edit or the other: ${JSON.stringify(stored)}`,
    )
  })

  t.test(
    'settings PATCHes racing the release of the claim: an unclaimed record keeps no lists',
    async (t) => {
      const database = await freshDatabase()
      const app = await build(t, { database })
      const { ann } = await seedCatalogue(app)
      const user = await signUp(app)
      const claim = await request(app, 'POST', `/v1/researchers/${ann}/claims`, user, { orcid: ORCID_ANN })
      const [topic] = await database.rows<{ id: number }>(sql`select id from topics order by id limit 1`)
      const body = { openToCollaborate: true, emphasisedTopicIds: [topic!.id] }
      const responses = await burst(N, (i) =>
        i === N / 2
          ? request(app, 'POST', `/v1/claims/${claim.json().id}/release`, user)
          : request(app, 'PATCH', `/v1/researchers/${ann}/settings`, user, body),
      )
      noServerErrors(t, responses, 'release and settings')
      t.equal(responses[N / 2]!.statusCode, 200, 'released')
      losersSay(t, responses, 403, 'FORBIDDEN', 'settings after the release')
      t.equal(await count(database, sql`select count(*) from researcher_emphasised_topics`), 0)
      t.equal(await count(database, sql`select count(*) from researchers where open_to_collaborate`), 0)
    },
  )

  t.test('a suggestion dismissed ten times at once, then racing the release: no row survives', async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const { ann, bob, dana } = await seedCatalogue(app)
    const user = await signUp(app)
    const claim = await request(app, 'POST', `/v1/researchers/${ann}/claims`, user, { orcid: ORCID_ANN })
    const dismiss = (id: number) =>
      request(app, 'PUT', `/v1/researchers/${ann}/suggestions/dismissed/${id}`, user)
    const same = await burst(N, () => dismiss(bob))
    noServerErrors(t, same, 'dismiss')
    t.same(tally(same), { 200: N })
    t.equal(await count(database, sql`select count(*) from dismissed_suggestions`), 1)

    const responses = await burst(N, (i) =>
      i === N / 2 ? request(app, 'POST', `/v1/claims/${claim.json().id}/release`, user) : dismiss(dana),
    )
    noServerErrors(t, responses, 'release and dismiss')
    t.equal(responses[N / 2]!.statusCode, 200, 'released')
    losersSay(t, responses, 403, 'FORBIDDEN', 'dismissals after the release')
    t.equal(await count(database, sql`select count(*) from dismissed_suggestions`), 0)
  })

  t.test('the same work pushed ten times at once: one work, its authors and topics once', async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const admin = await signUp(app, 'admin')
    const work = (title: string) => ({
      id: 'https://openalex.org/W900',
      display_name: title,
      publication_year: 2024,
      authorships: [
        { author: { id: 'https://openalex.org/A900', display_name: 'Pat Push' } },
        { author: { id: 'https://openalex.org/A901', display_name: 'Quinn Push' } },
      ],
      topics: [
        { id: 'https://openalex.org/T900', display_name: 'Pushing', score: 0.9 },
        { id: 'https://openalex.org/T901', display_name: 'Racing', score: 0.5 },
      ],
    })
    for (const title of ['Concurrent pushes', 'Concurrent pushes, revised']) {
      const responses = await burst(N, () =>
        request(app, 'POST', '/v1/works', admin, { works: [work(title)] }),
      )
      noServerErrors(t, responses, `push "${title}"`)
      t.same(tally(responses), { 200: N })
      const summaries = responses.filter((r) => r.statusCode === 200).map((r) => r.json())
      const written = summaries.reduce((n, s) => n + s.inserted + s.updated, 0)
      t.ok(written >= 1, `the work was written (${written} times)`)
      t.equal(
        summaries.reduce((n, s) => n + s.inserted, 0),
        title === 'Concurrent pushes' ? 1 : 0,
        'inserted once',
      )
      t.equal(await count(database, sql`select count(*) from works`), 1)
      t.equal(await count(database, sql`select count(*) from works where title = ${title}`), 1)
      t.equal(await count(database, sql`select count(*) from authorships`), 2)
      t.equal(await count(database, sql`select count(*) from work_topics`), 2)
      t.equal(await count(database, sql`select count(*) from researchers`), 2)
      t.equal(await count(database, sql`select count(*) from topics`), 2)
      t.equal(await count(database, sql`select count(*) from coauthor_edges`), 2, 'one edge each way')
    }
  })
})

t.test('realtime: two tabs of one user', async (t) => {
  async function setup(t: Test) {
    const { app, database, url } = await buildListening(t)
    const member = (name: string) => createMember(database, app.services.tokens, { name })
    const [ann, bob] = await Promise.all([member('Ann'), member('Bob')])
    const tabs = async (who: Member) =>
      Promise.all([connect(t, url, { token: who.token }), connect(t, url, { token: who.token })])
    return { app, database, ann, bob, tabs }
  }

  t.test('invitation:send from two tabs at once: one invitation, the rest CONFLICT', async (t) => {
    const { database, ann, bob, tabs } = await setup(t)
    const annTabs = await tabs(ann)
    const acks = await burst(N, (i) =>
      ask<InvitationView>(annTabs[i % 2]!, 'invitation:send', {
        inviteeResearcherId: bob.researcherId,
        message: 'Shall we write together?',
      }),
    )
    noInternalAcks(t, acks, 'invitation:send')
    t.equal(acks.filter((a) => a.ok).length, 1)
    t.same(
      acks.filter((a) => !a.ok).map((a) => !a.ok && a.error.code),
      Array(N - 1).fill('CONFLICT'),
    )
    t.equal(await count(database, sql`select count(*) from invitations`), 1)
  })

  t.test('invitation:accept / decline / withdraw from two tabs at once: one wins', async (t) => {
    const { app, database, ann, bob, tabs } = await setup(t)
    const sent = await request(app, 'POST', '/v1/invitations', ann, {
      inviteeResearcherId: bob.researcherId,
      message: 'Shall we write together?',
    })
    const invitationId = (sent.json() as InvitationView).id
    const [annTabs, bobTabs] = await Promise.all([tabs(ann), tabs(bob)])
    const acks = await burst(N, (i) => {
      const event = (['invitation:accept', 'invitation:decline', 'invitation:withdraw'] as const)[i % 3]!
      const tab = event === 'invitation:withdraw' ? annTabs[i % 2]! : bobTabs[i % 2]!
      return ask<InvitationView>(tab, event, { invitationId })
    })
    noInternalAcks(t, acks, 'invitation actions')
    const won = acks.filter((a) => a.ok)
    t.equal(won.length, 1, 'one action wins')
    t.ok(
      acks.every((a) => a.ok || a.error.code === 'CONFLICT'),
      'the others are CONFLICT',
    )
    const winner = won[0]!.ok ? won[0]!.data : undefined
    const [stored] = await database.rows<{ status: string }>(
      sql`select status from invitations where id = ${invitationId}`,
    )
    t.equal(stored!.status, winner?.status)
    t.equal(
      await count(database, sql`select count(*) from conversations`),
      winner?.status === 'accepted' ? 1 : 0,
    )
  })

  t.test('message:send with one clientMessageId from two tabs: one message, one seq', async (t) => {
    const { app, database, ann, bob, tabs } = await setup(t)
    const conversationId = await openConversation(app, ann, bob)
    const annTabs = await tabs(ann)
    const acks = await burst(N, (i) =>
      ask<SentMessage>(annTabs[i % 2]!, 'message:send', {
        conversationId,
        clientMessageId: 'retry-storm-1',
        body: 'Hello Bob',
      }),
    )
    noInternalAcks(t, acks, 'message:send')
    t.ok(
      acks.every((a) => a.ok),
      'every copy is acknowledged',
    )
    const sent = acks.flatMap((a) => (a.ok ? [a.data] : []))
    t.equal(new Set(sent.map((s) => s.message.id)).size, 1, 'one message id in every ack')
    t.equal(sent.filter((s) => !s.duplicate).length, 1, 'one ack says it was new')
    t.equal(await count(database, sql`select count(*) from messages`), 1)
    t.equal(
      await count(database, sql`select last_seq from conversations where id = ${conversationId}`),
      1,
      'no sequence number spent on the duplicates',
    )

    const overHttp = await burst(N, () =>
      request(app, 'POST', `/v1/conversations/${conversationId}/messages`, ann, {
        clientMessageId: 'retry-storm-2',
        body: 'Still there?',
      }),
    )
    noServerErrors(t, overHttp, 'POST messages')
    t.same(tally(overHttp), { 201: 1, 200: N - 1 })
    t.equal(new Set(overHttp.map((r) => r.json().message.id)).size, 1)
    t.equal(await count(database, sql`select count(*) from messages`), 2)
  })

  t.test('message:read from two tabs at once: the marker only moves forward', async (t) => {
    const { app, database, ann, bob, tabs } = await setup(t)
    const conversationId = await openConversation(app, ann, bob)
    for (let i = 1; i <= N; i++) {
      const res = await request(app, 'POST', `/v1/conversations/${conversationId}/messages`, ann, {
        clientMessageId: `m-${i}`,
        body: `Message ${i}`,
      })
      t.equal(res.statusCode, 201)
    }
    const bobTabs = await tabs(bob)
    const seqs = [7, 2, 10, 1, 9, 3, 8, 4, 6, 5]
    const acks = await burst(N, (i) =>
      ask<{ lastReadSeq: number }>(bobTabs[i % 2]!, 'message:read', { conversationId, seq: seqs[i] }),
    )
    noInternalAcks(t, acks, 'message:read')
    t.ok(
      acks.every((a, i) => a.ok && a.data.lastReadSeq >= seqs[i]!),
      'no ack reports a marker behind its own seq',
    )
    const marker = () =>
      count(
        database,
        sql`select last_read_seq from conversation_members where conversation_id = ${conversationId} and account_id = ${bob.accountId}`,
      )
    t.equal(await marker(), N)
    const again = await burst(N, (i) =>
      ask<{ lastReadSeq: number }>(bobTabs[i % 2]!, 'message:read', { conversationId, seq: 3 }),
    )
    noInternalAcks(t, again, 'message:read')
    t.same(
      again.map((a) => a.ok && a.data.lastReadSeq),
      Array(N).fill(N),
      'an older seq never moves it back',
    )
    t.equal(await marker(), N)
  })
})
