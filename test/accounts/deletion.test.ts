import { type SQL, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { io } from 'socket.io-client'
import t from 'tap'
import type { Database } from '../../src/infra/db/database.js'
import type { NotificationView } from '../../src/realtime/contract.js'
import { build } from '../helpers/build.js'
import { openConversation } from '../helpers/conversation.js'
import { freshDatabase } from '../helpers/database.js'
import {
  annClaimant,
  releaseOwnClaim,
  seedCatalogue,
  signUp,
  TEST_PASSWORD,
  type TestUser,
} from '../helpers/identity.js'
import { createMember } from '../helpers/members.js'
import { buildListening, connect, next, waitFor } from '../helpers/realtime.js'

const count = async (database: Database, query: SQL) =>
  Number((await database.rows<{ n: number }>(query))[0]!.n)

const auth = (token: string) => ({ authorization: `Bearer ${token}` })

const erase = (app: FastifyInstance, user: TestUser, password: string) =>
  app.inject({ method: 'DELETE', url: '/v1/me', headers: user.headers, payload: { password } })

t.test('deleting an account: its claim is let go, its sessions end, its messages stay', async (t) => {
  const { app, database, url } = await buildListening(t)
  const { ann, bob, cai, dana } = await seedCatalogue(app)
  const { user, member } = await annClaimant(app, ann)
  const other = await createMember(database, app.services.tokens, { name: 'Olga Other' })
  const send = (token: string, conversationId: number, id: string, body: string) =>
    app.inject({
      method: 'POST',
      url: `/v1/conversations/${conversationId}/messages`,
      headers: { authorization: `Bearer ${token}` },
      payload: { clientMessageId: id, body },
    })

  // Things an account leaves behind: settings, a dismissal, a follow, a conversation.
  const patched = await app.inject({
    method: 'PATCH',
    url: `/v1/researchers/${ann}/settings`,
    headers: user.headers,
    payload: { openToCollaborate: true },
  })
  t.equal(patched.statusCode, 200)
  const dismissed = await app.inject({
    method: 'PUT',
    url: `/v1/researchers/${ann}/suggestions/dismissed/${dana}`,
    headers: user.headers,
  })
  t.equal(dismissed.statusCode, 200)
  t.equal(
    (await app.inject({ method: 'PUT', url: `/v1/researchers/${bob}/follow`, headers: user.headers }))
      .statusCode,
    200,
  )
  t.equal(
    (await app.inject({ method: 'PUT', url: `/v1/blocks/${cai}`, headers: user.headers })).statusCode,
    200,
  )
  const conversationId = await openConversation(app, member, other)
  t.equal((await send(user.token, conversationId, 'a-1', 'Hello from Ann')).statusCode, 201)
  t.equal((await send(other.token, conversationId, 'o-1', 'Hello back')).statusCode, 201)

  const tab = await connect(t, url, { token: user.token })
  const closed = new Promise<string>((resolve) => tab.once('disconnect', resolve))
  const otherTab = await connect(t, url, { token: other.token })

  const wrong = await erase(app, user, 'not my password')
  t.equal(wrong.statusCode, 403, 'a wrong password is refused')
  t.equal(wrong.json().error.code, 'FORBIDDEN')
  t.equal((await app.inject({ url: '/v1/me', headers: user.headers })).statusCode, 200, 'and changes nothing')
  t.equal(tab.connected, true)

  const onlyAnns = sql`select count(*) as n from notifications where type = 'claim:decided'`
  t.equal(await count(database, onlyAnns), 1, "Ann's claim decision was stored for her alone")
  const otherSeen = (await app.inject({ url: '/v1/notifications', headers: auth(other.token) })).json().items
  const ended = next<NotificationView>(otherTab, 'conversation:closed')
  const erased = await erase(app, user, TEST_PASSWORD)
  t.equal(erased.statusCode, 204)
  t.equal(await closed, 'io server disconnect', 'the open tab is closed by the server')
  const notice = await ended
  t.match(notice, { type: 'conversation:closed', data: { conversationId, reason: 'member_deleted' } })
  t.equal(otherTab.connected, true, "the other member's tab is told, and stays connected")

  // A tab that was offline gets the same notice on resume: it was stored, not only pushed.
  const replayed: NotificationView[] = []
  const resumed = await connect(
    t,
    url,
    { token: other.token, lastNotificationId: otherSeen.at(-1).id },
    (s) => s.once('notifications:replay', (page) => replayed.push(...page.items)),
  )
  await waitFor(async () => replayed.length > 0)
  t.same(replayed, [notice], 'replayed on reconnect')
  resumed.disconnect()
  t.equal(await count(database, onlyAnns), 0, 'what only the deleted account received goes with it')
  t.equal(
    await count(
      database,
      sql`select count(*) as n from notifications n
        where not exists (select 1 from notification_recipients r where r.notification_id = n.id)`,
    ),
    0,
    'no notification is left without a recipient',
  )

  // The old credentials are dead everywhere, and a late request with them is a 401, not a 500.
  t.equal((await app.inject({ url: '/v1/me', headers: user.headers })).statusCode, 401)
  const late = await app.inject({
    method: 'PUT',
    url: `/v1/researchers/${dana}/follow`,
    headers: user.headers,
  })
  t.equal(late.statusCode, 401)
  t.equal(late.json().error.code, 'UNAUTHORIZED')
  const refreshed = await app.inject({
    method: 'POST',
    url: '/v1/auth/refresh',
    payload: { refreshToken: user.refreshToken },
  })
  t.equal(refreshed.statusCode, 401)
  const login = await app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: user.email, password: TEST_PASSWORD },
  })
  t.equal(login.statusCode, 401)
  const refused = await new Promise<string>((resolve) => {
    const socket = io(url, { auth: { token: user.token }, transports: ['websocket'], reconnection: false })
    socket.once('connect', () => {
      socket.disconnect()
      resolve('connected')
    })
    socket.once('connect_error', (error) => {
      socket.disconnect()
      resolve(error.message)
    })
  })
  t.equal(refused, 'UNAUTHORIZED', 'the token cannot open a new tab')

  // The public record stays, unclaimed and without the claimant's choices.
  const record = (await app.inject({ url: `/v1/researchers/${ann}` })).json()
  t.equal(record.claimed, false)
  t.equal(record.openToCollaborate, false)
  t.equal(await count(database, sql`select count(*) as n from dismissed_suggestions`), 0)
  t.equal(await count(database, sql`select count(*) as n from follows`), 0)
  t.equal(await count(database, sql`select count(*) as n from blocks`), 0, "the claimant's blocks go too")
  t.equal(await count(database, sql`select count(*) as n from accounts where id = ${user.accountId}`), 0)

  // The other member keeps what they were sent, without a sender, and cannot write into the void.
  const history = await app.inject({
    url: `/v1/conversations/${conversationId}/messages`,
    headers: { authorization: `Bearer ${other.token}` },
  })
  t.equal(history.statusCode, 200)
  t.same(
    history
      .json()
      .items.map((m: { body: string; senderAccountId: number | null }) => [m.body, m.senderAccountId]),
    [
      ['Hello from Ann', null],
      ['Hello back', other.accountId],
    ],
  )
  const unanswered = await send(other.token, conversationId, 'o-2', 'Are you there?')
  t.equal(unanswered.statusCode, 409)
  t.match(unanswered.json().error.message, /deleted their account/)

  // The address is free again, and the record can be claimed again.
  const again = await annClaimant(app, ann)
  t.equal((await app.inject({ url: `/v1/researchers/${ann}` })).json().claimed, true)
  t.not(again.user.accountId, user.accountId)

  // Whoever holds the record next starts afresh with Olga: no refusal over a conversation they
  // cannot see, and none of the old messages.
  const fresh = await openConversation(app, again.member, other)
  t.not(fresh, conversationId, 'a new conversation')
  const theirs = await app.inject({
    url: `/v1/conversations/${fresh}/messages`,
    headers: again.user.headers,
  })
  t.same(theirs.json().items, [], 'without the old history')
  const old = await app.inject({
    url: `/v1/conversations/${conversationId}/messages`,
    headers: again.user.headers,
  })
  t.equal(old.statusCode, 404, 'which the new claimant cannot open')
})

t.test('account deletion: bad input is a 4xx and deletes nothing', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { database })
  const user = await signUp(app)
  const cases: [string, object | undefined, Record<string, string>, number][] = [
    ['no body', undefined, user.headers, 400],
    ['an empty password', { password: '' }, user.headers, 400],
    ['an unknown field', { password: TEST_PASSWORD, force: true }, user.headers, 400],
    ['no token', { password: TEST_PASSWORD }, {}, 401],
  ]
  for (const [what, payload, headers, status] of cases) {
    const res = await app.inject({
      method: 'DELETE',
      url: '/v1/me',
      headers,
      ...(payload ? { payload } : {}),
    })
    t.equal(res.statusCode, status, what)
    t.type(res.json().error.code, 'string', `${what}: a JSON error`)
  }
  t.equal(await count(database, sql`select count(*) as n from accounts`), 1)
  t.equal((await erase(app, user, TEST_PASSWORD)).statusCode, 204)
  t.equal((await erase(app, user, TEST_PASSWORD)).statusCode, 401, 'a second deletion: the account is gone')
})

t.test('requests racing the deletion of their account never get a 5xx', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { database })
  const { ann, bob, cai, dana } = await seedCatalogue(app)
  const { user } = await annClaimant(app, ann)
  const writes = [bob, cai, dana].flatMap((id) => [
    () => app.inject({ method: 'PUT', url: `/v1/researchers/${id}/follow`, headers: user.headers }),
    () =>
      app.inject({
        method: 'PUT',
        url: `/v1/researchers/${ann}/suggestions/dismissed/${id}`,
        headers: user.headers,
      }),
    () =>
      app.inject({
        method: 'PATCH',
        url: `/v1/researchers/${ann}/settings`,
        headers: user.headers,
        payload: { openToCollaborate: true },
      }),
  ])
  const responses = await Promise.all([...writes.map((w) => w()), erase(app, user, TEST_PASSWORD)])
  const erased = responses.at(-1)!
  t.equal(erased.statusCode, 204)
  const statuses = responses.slice(0, -1).map((r) => r.statusCode)
  t.ok(
    statuses.every((s) => s === 200 || s === 401 || s === 403 || s === 409),
    `each write either landed first or was refused: ${statuses.join(' ')}`,
  )
  await waitFor(async () => (await count(database, sql`select count(*) as n from accounts`)) === 0)
  t.equal(await count(database, sql`select count(*) as n from follows`), 0, 'nothing of it survives')
  t.equal(await count(database, sql`select count(*) as n from dismissed_suggestions`), 0)
  t.equal(await count(database, sql`select count(*) as n from researchers where open_to_collaborate`), 0)
})

t.test(
  "a released record's next claimant starts a fresh conversation; the old one stays with its members",
  async (t) => {
    const database = await freshDatabase()
    const app = await build(t, { database })
    const { ann } = await seedCatalogue(app)
    const first = await annClaimant(app, ann)
    const other = await createMember(database, app.services.tokens, { name: 'Olga Other' })
    const conversationId = await openConversation(app, first.member, other)
    const sent = await app.inject({
      method: 'POST',
      url: `/v1/conversations/${conversationId}/messages`,
      headers: first.user.headers,
      payload: { clientMessageId: 'a-1', body: 'Private to Olga' },
    })
    t.equal(sent.statusCode, 201)
    t.equal((await releaseOwnClaim(app, first.user)).statusCode, 200)

    const second = await annClaimant(app, ann)
    const fresh = await openConversation(app, second.member, other)
    t.not(fresh, conversationId)
    const seen = await app.inject({
      url: `/v1/conversations/${fresh}/messages`,
      headers: second.user.headers,
    })
    t.same(seen.json().items, [], 'the new claimant reads none of the old messages')
    const listed = (await app.inject({ url: '/v1/conversations', headers: second.user.headers })).json()
    t.same(
      listed.items.map((c: { id: number }) => c.id),
      [fresh],
    )
    const kept = await app.inject({
      url: `/v1/conversations/${conversationId}/messages`,
      headers: first.user.headers,
    })
    t.same(
      kept.json().items.map((m: { body: string }) => m.body),
      ['Private to Olga'],
      'the first claimant keeps their history',
    )
  },
)
