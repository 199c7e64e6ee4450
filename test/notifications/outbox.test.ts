import { sql } from 'drizzle-orm'
import t, { type Test } from 'tap'
import { createServices } from '../../src/app.js'
import type { Database } from '../../src/infra/db/database.js'
import type { NormalizedWork } from '../../src/ingest/openalex.js'
import type { NotificationView } from '../../src/realtime/contract.js'
import { TEST_AUTH_SECRET } from '../helpers/build.js'
import { createMember, type Member } from '../helpers/members.js'
import { buildListening, collect, connect, sleep, waitFor } from '../helpers/realtime.js'

const work = (externalId: string, author: Member): NormalizedWork => ({
  externalId,
  doi: null,
  title: `Work ${externalId}`,
  abstract: null,
  year: 2026,
  type: 'article',
  venue: null,
  authorships: [
    {
      position: 0,
      author: { externalId: author.externalId!, name: author.name, orcid: null },
      institutions: [],
    },
  ],
  topics: [],
  contentHash: externalId,
})

/**
 * Events of one kind waiting: the follow that sets a test up has its own, which waits for its
 * fan-out too (seen still there on a busy machine).
 */
const outboxRows = async (database: Database, event = 'works:changed') => {
  const [row] = await database.rows<{ n: number }>(
    sql`select count(*)::int as n from domain_outbox where event = ${event}`,
  )
  return row!.n
}

/** A listening app sweeping every second, a fan following an author, and the fan's follow:work pushes. */
async function fanOfAuthor(t: Test) {
  const { app, database, url } = await buildListening(t, { config: { REALTIME_OUTBOX_SWEEP_SECONDS: 1 } })
  const author = await createMember(database, app.services.tokens)
  const fan = await createMember(database, app.services.tokens)
  const followed = await app.inject({
    method: 'PUT',
    url: `/v1/researchers/${author.researcherId}/follow`,
    headers: { authorization: `Bearer ${fan.token}` },
  })
  t.equal(followed.statusCode, 200)
  const tab = await connect(t, url, { token: fan.token })
  return { app, database, author, fan, pushed: collect<NotificationView>(tab, 'follow:work') }
}

t.test('follow notifications survive a writer that dies before fanning out', async (t) => {
  const { app, database, author, fan, pushed } = await fanOfAuthor(t)

  // Another composition root on the same database with nobody fanning out: an importer process
  // that committed its batch and died before telling anyone.
  const importer = createServices(database, { AUTH_SECRET: TEST_AUTH_SECRET })
  await importer.ingest.storeWorks([work('W-stranded', author)])
  t.equal(await outboxRows(database), 1, 'the event was stored with the works')

  await waitFor(() => pushed.length === 1, 10_000, 'the swept follow:work')
  t.match(pushed[0]!.data, { researcherId: author.researcherId, works: [{ title: 'Work W-stranded' }] })
  await waitFor(async () => (await outboxRows(database)) === 0, 5_000, 'the outbox row to go')
  await sleep(2_500)
  const stored = await app.inject({
    url: '/v1/notifications?after=0',
    headers: { authorization: `Bearer ${fan.token}` },
  })
  const types = stored.json().items.map((n: NotificationView) => n.type)
  t.same(
    types.filter((type: string) => type === 'follow:work'),
    ['follow:work'],
    'stored once, despite later sweeps',
  )
  t.equal(pushed.length, 1, 'pushed once')
})

t.test('a new work changed again before its event is handled is still news, once', async (t) => {
  const { database, author, pushed } = await fanOfAuthor(t)
  // An importer with nobody fanning out stores a new work, then a correction of it: both events
  // wait for the sweeper, which finds the work already updated when it handles the first.
  const importer = createServices(database, { AUTH_SECRET: TEST_AUTH_SECRET })
  await importer.ingest.storeWorks([work('W-corrected', author)])
  const corrected = {
    ...work('W-corrected', author),
    title: 'Work W-corrected, corrected',
    contentHash: 'v2',
  }
  await importer.ingest.storeWorks([corrected])
  t.equal(await outboxRows(database), 2)

  await waitFor(() => pushed.length === 1, 10_000, 'the follow:work for the new work')
  await waitFor(async () => (await outboxRows(database)) === 0, 5_000, 'both events handled')
  await sleep(1_500)
  t.equal(pushed.length, 1, 'one notification: the correction is not news')
  t.match(pushed[0]!.data, { works: [{ title: 'Work W-corrected, corrected' }] }, 'as it reads now')
})

t.test('the fast path and the sweeper never both handle an event', async (t) => {
  const { app, database, author, pushed } = await fanOfAuthor(t)
  for (let i = 0; i < 5; i++) await app.services.ingest.storeWorks([work(`W-fast-${i}`, author)])
  await waitFor(() => pushed.length === 5, 10_000, 'five follow:work pushes')
  await sleep(2_500)
  t.equal(pushed.length, 5)
  // Each event exactly once; separate events fan out concurrently, so their order is not promised
  // (clients order by notification id).
  t.same(
    pushed.map((n) => (n.data as { works: { title: string }[] }).works[0]!.title).sort(),
    [0, 1, 2, 3, 4].map((i) => `Work W-fast-${i}`),
  )
  t.equal(await outboxRows(database), 0)
})

t.test('a fan-out that failed is retried by the sweeper', async (t) => {
  let down = true
  let fanAccount = 0
  let authorId = 0
  const followers = {
    followersOf: async (ids: readonly number[]) => {
      if (down) throw new Error('lookup down')
      return new Map(ids.filter((id) => id === authorId).map((id) => [id, [fanAccount]]))
    },
  }
  const { app, database, url } = await buildListening(t, {
    config: { REALTIME_OUTBOX_SWEEP_SECONDS: 1 },
    followers,
  })
  const author = await createMember(database, app.services.tokens)
  const fan = await createMember(database, app.services.tokens)
  authorId = author.researcherId!
  fanAccount = fan.accountId
  const tab = await connect(t, url, { token: fan.token })
  const pushed = collect<NotificationView>(tab, 'follow:work')
  await app.services.ingest.storeWorks([work('W-retry', author)])
  await sleep(1_500)
  t.equal(pushed.length, 0, 'nothing while the lookup is down')
  t.equal(await outboxRows(database), 1, 'the event waits in the outbox')
  down = false
  await waitFor(() => pushed.length === 1, 10_000, 'the retried follow:work')
  t.equal((await app.inject({ url: '/health' })).statusCode, 200)
})

t.test('an event that keeps failing does not hold back the ones behind it', async (t) => {
  const { database, author, pushed } = await fanOfAuthor(t)
  // Written by a newer version of the service, say: this one cannot handle it.
  await database.rows(sql`insert into domain_outbox (event, payload) values ('works:renamed', '{}')`)
  const importer = createServices(database, { AUTH_SECRET: TEST_AUTH_SECRET })
  await importer.ingest.storeWorks([work('W-behind', author)])
  await waitFor(() => pushed.length === 1, 10_000, 'the follow:work behind the failing event')
  t.equal(await outboxRows(database), 0, 'the works event was handled')
  t.equal(await outboxRows(database, 'works:renamed'), 1, 'the unhandled event is left')
})
