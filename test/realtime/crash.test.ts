import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { TokenService } from '../../src/infra/auth/tokens.js'
import { systemClock } from '../../src/infra/clock.js'
import { type Database, openDatabase } from '../../src/infra/db/database.js'
import { RealtimeClient } from '../../src/realtime/client.js'
import type { MessagePage } from '../../src/realtime/contract.js'
import { TEST_AUTH_SECRET } from '../helpers/build.js'
import { openConversationOverHttp } from '../helpers/conversation.js'
import { createMember, type Member } from '../helpers/members.js'
import { createSharedPostgres, freePort, type ServerProcess, startServer } from '../helpers/processes.js'
import { waitFor } from '../helpers/realtime.js'

const MESSAGES = 40
const KILL_AFTER = 15

/**
 * The server dies by SIGKILL mid-conversation and comes back on the same port and data; clients
 * retry with their clientMessageIds. Runs on the suite's backend: PGlite in a data directory, or
 * PostgreSQL when TEST_DATABASE_URL is set.
 */
t.test('SIGKILL mid-conversation: nothing acknowledged is lost, nothing doubles', async (t) => {
  const tokens = new TokenService(TEST_AUTH_SECRET, systemClock)
  let env: Record<string, string>
  let ann: Member
  let bob: Member
  if (process.env['TEST_DATABASE_URL']) {
    const shared = await createSharedPostgres()
    ;[ann, bob] = await Promise.all([
      createMember(shared.database, tokens),
      createMember(shared.database, tokens),
    ])
    env = { DATABASE_URL: shared.url }
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'collabmatch-crash-'))
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    // PGlite is one process at a time: prepare the data, close it, then hand it to the server.
    const database: Database = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'pglite') })
    await database.migrate()
    ann = await createMember(database, tokens)
    bob = await createMember(database, tokens)
    await database.close()
    env = { DATA_DIR: dataDir }
  }
  env = {
    ...env,
    AUTH_SECRET: TEST_AUTH_SECRET,
    REALTIME_SOCKET_EVENTS_PER_SECOND: '200',
    REALTIME_SOCKET_BURST: '200',
  }

  const port = await freePort()
  let server: ServerProcess = await startServer(env, port)
  t.teardown(() => server.kill('SIGKILL'))
  const conversationId = await openConversationOverHttp(server.url, ann, bob)

  const sender = new RealtimeClient({ url: server.url, token: ann.token, ackTimeoutMs: 1_000 })
  const receiver = new RealtimeClient({ url: server.url, token: bob.token, ackTimeoutMs: 1_000 })
  t.teardown(() => {
    sender.close()
    receiver.close()
  })
  await Promise.all([sender.connected(), receiver.connected()])
  await receiver.follow(conversationId)
  const rawArrivals: number[] = []
  receiver.socket.on('message:new', (m) => rawArrivals.push(m.id))

  let acked = 0
  let restarted: Promise<void> | null = null
  for (let i = 0; i < MESSAGES; i++) {
    await sender.send(conversationId, `message ${i}`, `ann-${i}`)
    acked++
    if (acked === KILL_AFTER) {
      // Another send is already on the wire when the process dies.
      const inFlight = sender.send(conversationId, `message ${i + 1}`, `ann-${i + 1}`)
      await server.kill('SIGKILL')
      restarted = startServer(env, port).then((next) => {
        server = next
      })
      await inFlight
      acked++
      i++
    }
  }
  await restarted
  t.equal(acked, MESSAGES)

  await waitFor(
    () => receiver.messages(conversationId).length >= MESSAGES,
    20_000,
    'the receiver to catch up',
  )
  const got = receiver.messages(conversationId)
  t.same(
    got.map((m) => m.seq),
    Array.from({ length: MESSAGES }, (_, i) => i + 1),
    'the receiver has every message once, in order',
  )
  t.same(
    got.map((m) => m.clientMessageId),
    Array.from({ length: MESSAGES }, (_, i) => `ann-${i}`),
  )
  t.ok(rawArrivals.length > 0, 'live pushes arrived too (duplicates among them are dropped by id)')

  const history = await fetch(`${server.url}/v1/conversations/${conversationId}/messages?limit=200`, {
    headers: { authorization: `Bearer ${bob.token}` },
  })
  const page = (await history.json()) as MessagePage
  t.equal(page.items.length, MESSAGES, 'stored exactly once each')
  t.equal(new Set(page.items.map((m) => m.clientMessageId)).size, MESSAGES)
  t.equal(page.lastSeq, MESSAGES, 'no sequence number was burnt or reused')
})
