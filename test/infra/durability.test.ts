import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { TokenService } from '../../src/infra/auth/tokens.js'
import { systemClock } from '../../src/infra/clock.js'
import { openDatabase } from '../../src/infra/db/database.js'
import type { ClientSocket } from '../../src/realtime/client.js'
import type { Ack, MessagePage } from '../../src/realtime/contract.js'
import { TEST_AUTH_SECRET } from '../helpers/build.js'
import { openConversationOverHttp } from '../helpers/conversation.js'
import { migratedPgliteImage } from '../helpers/database.js'
import { createMember, type Member } from '../helpers/members.js'
import { createSharedPostgres, type ServerProcess, startServer } from '../helpers/processes.js'
import { connect, waitFor } from '../helpers/realtime.js'

/**
 * "Nothing acknowledged is ever lost", tested the hard way: the real server, in its own process,
 * acknowledges writes over real HTTP and Socket.IO and is then killed with SIGKILL (no shutdown
 * hook runs, PGlite is never closed). A new server on the same data must have every acknowledged
 * account, work and message, and must come up ready, i.e. the kill did not leave the data
 * directory unreadable. The kill lands right after an ack and in the middle of streams of writes
 * (small and large transactions in flight). Runs on the suite's backend: PGlite in a data directory,
 * or PostgreSQL (which keeps running; only the server dies) when TEST_DATABASE_URL is set.
 */

interface Ledger {
  accounts: { email: string; password: string }[]
  works: { externalId: string; title: string }[]
  messages: { clientMessageId: string; body: string }[]
}

const PASSWORD = 'correct horse battery staple'

t.test('SIGKILL right after acks and mid-stream: every acknowledged write survives', async (t) => {
  const started = Date.now()
  const elapsed = (what: string) => t.comment(`${what} at ${((Date.now() - started) / 1000).toFixed(1)} s`)
  const tokens = new TokenService(TEST_AUTH_SECRET, systemClock)
  const dir = mkdtempSync(join(tmpdir(), 'collabmatch-durability-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  // No model: the server starts faster; the lexical worker still writes in the background.
  mkdirSync(join(dir, 'models'))
  let env: Record<string, string>
  let admin: Member
  let ann: Member
  let bob: Member
  if (process.env['TEST_DATABASE_URL']) {
    const shared = await createSharedPostgres()
    admin = await createMember(shared.database, tokens, { role: 'admin', claimed: false })
    ann = await createMember(shared.database, tokens)
    bob = await createMember(shared.database, tokens)
    env = { DATABASE_URL: shared.url }
  } else {
    // PGlite is one process at a time: prepare the members, close it, then hand it to the server.
    // Seeded from the suite's migrated image (initdb and migrations cost seconds); the server
    // still runs the migrator on start, as always.
    const database = await openDatabase({
      kind: 'pglite',
      dataDir: join(dir, 'data', 'pglite'),
      loadDataDir: await migratedPgliteImage(),
    })
    await database.migrate()
    admin = await createMember(database, tokens, { role: 'admin', claimed: false })
    ann = await createMember(database, tokens)
    bob = await createMember(database, tokens)
    await database.close()
    env = { DATA_DIR: join(dir, 'data') }
  }
  env = {
    ...env,
    AUTH_SECRET: TEST_AUTH_SECRET,
    MODELS_DIR: join(dir, 'models'),
    AUTH_RATE_LIMIT_MAX: '100000',
    REALTIME_SOCKET_EVENTS_PER_SECOND: '1000',
    REALTIME_SOCKET_BURST: '1000',
  }

  const tag = randomBytes(4).toString('hex')
  const author = { id: `ADUR${tag}`, display_name: `Durable Author ${tag}` }
  const ledger: Ledger = { accounts: [], works: [], messages: [] }
  let serial = 0
  const nextWork = () => {
    const n = serial++
    return {
      id: `WDUR${tag}-${n}`,
      title: `Durable work ${n} ${tag}`,
      abstract: `Write-ahead logging, recovery and acknowledged commit number ${n}.`,
      publication_year: 2000 + (n % 25),
      authorships: [{ author }],
    }
  }

  let server = await startServer(env)
  elapsed('first start')
  t.teardown(() => server.kill('SIGKILL'))
  const conversationId = await openConversationOverHttp(server.url, ann, bob)

  // 1. Sequential writes, the kill right after the last ack: an account, a batch of works, a message.
  {
    await register(server, ledger, `first-${tag}`)
    await pushWorks(server, admin, ledger, [nextWork(), nextWork(), nextWork()])
    const socket = await connect(t, server.url, { token: ann.token })
    await sendMessage(socket, conversationId, ledger, `ann-first-${tag}`)
    await server.kill('SIGKILL')
    socket.disconnect()
    elapsed('killed')
    server = await startServer(env)
    elapsed('restarted')
    await verify(t, 'killed right after an ack', server, ledger, { admin, bob, conversationId, author })
  }

  // 2 and 3. Three writers at once (accounts, works, messages); the kill lands while requests are in
  // flight. First with small work batches, then with large ones (longer transactions, more WAL).
  for (const [round, batchSize, killAfterBatches] of [
    ['small batches', 4, 6],
    ['large batches', 100, 2],
  ] as const) {
    const socket = await connect(t, server.url, { token: ann.token })
    const slug = round.replace(' ', '-')
    const before = { accounts: ledger.accounts.length, messages: ledger.messages.length }
    let batches = 0
    const failures: string[] = []
    const writer = (step: (i: number) => Promise<void>) =>
      (async () => {
        for (let i = 0; ; i++) await step(i)
      })().catch((error: Error) => {
        failures.push(error.message)
      })
    const writers = [
      writer((i) => register(server, ledger, `stream-${slug}-${i}-${tag}`)),
      writer(async () => {
        await pushWorks(
          server,
          admin,
          ledger,
          Array.from({ length: batchSize }, () => nextWork()),
        )
        batches++
      }),
      writer((i) => sendMessage(socket, conversationId, ledger, `ann-${slug}-${i}-${tag}`)),
    ]
    // Every writer has had acks before the kill, and each has its next write on the wire.
    await waitFor(
      () =>
        batches >= killAfterBatches &&
        ledger.accounts.length - before.accounts >= 2 &&
        ledger.messages.length - before.messages >= 5,
      30_000,
      `${round}: acks from every writer`,
    )
    // A few milliseconds more, so the kill does not always land on an ack's heels.
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 15)))
    await server.kill('SIGKILL')
    socket.disconnect()
    await Promise.all(writers)
    // Cut off by the kill (the connection went away), not stopped earlier by a refused write.
    t.equal(failures.length, 3, `${round}: every writer ran until the kill`)
    t.same(
      failures.filter((f) => !/fetch failed|socket has been disconnected|timed out/.test(f)),
      [],
      `${round}: the writers stopped because the server died`,
    )
    elapsed('killed')
    server = await startServer(env)
    elapsed('restarted')
    await verify(t, `killed mid-stream (${round})`, server, ledger, { admin, bob, conversationId, author })
  }
  // The recovered database takes new writes too.
  await pushWorks(server, admin, ledger, [nextWork()])
  t.ok(
    ledger.works.length > 200 && ledger.messages.length > 3 && ledger.accounts.length > 3,
    'writes were acked',
  )
  t.comment(
    `acked before the kills: ${ledger.accounts.length} accounts, ${ledger.works.length} works, ${ledger.messages.length} messages`,
  )
})

async function request(
  url: string,
  path: string,
  options: { method?: string; token?: string; body?: unknown } = {},
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : null }
}

/** Each helper records a write in the ledger only once the server acknowledged it. */
async function register(server: ServerProcess, ledger: Ledger, name: string): Promise<void> {
  const email = `${name}@example.test`
  const res = await request(server.url, '/v1/auth/register', {
    body: { email, password: PASSWORD, displayName: name },
  })
  if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.json)}`)
  ledger.accounts.push({ email, password: PASSWORD })
}

async function pushWorks(
  server: ServerProcess,
  admin: Member,
  ledger: Ledger,
  works: { id: string; title: string }[],
): Promise<void> {
  const res = await request(server.url, '/v1/works', { token: admin.token, body: { works } })
  const summary = res.json as { inserted?: number }
  if (res.status !== 200 || summary.inserted !== works.length) {
    throw new Error(`push: ${res.status} ${JSON.stringify(res.json)}`)
  }
  ledger.works.push(...works.map((w) => ({ externalId: w.id, title: w.title })))
}

async function sendMessage(
  socket: ClientSocket,
  conversationId: number,
  ledger: Ledger,
  clientMessageId: string,
): Promise<void> {
  const body = `message ${clientMessageId}`
  const ack = (await (
    socket.timeout(3_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<unknown>> }
  ).emitWithAck('message:send', { conversationId, clientMessageId, body })) as Ack<unknown>
  if (!ack.ok) throw new Error(`message: ${JSON.stringify(ack.error)}`)
  ledger.messages.push({ clientMessageId, body })
}

async function verify(
  t: Test,
  when: string,
  server: ServerProcess,
  ledger: Ledger,
  context: { admin: Member; bob: Member; conversationId: number; author: { display_name: string } },
): Promise<void> {
  const ready = await request(server.url, '/ready')
  t.equal(ready.status, 200, `${when}: the restarted server is ready`)
  t.match(ready.json, { status: 'ready' })

  // Accounts: every acknowledged registration can log in (scrypt: two at a time on two cores).
  const refused: string[] = []
  for (let i = 0; i < ledger.accounts.length; i += 2) {
    await Promise.all(
      ledger.accounts.slice(i, i + 2).map(async ({ email, password }) => {
        const res = await request(server.url, '/v1/auth/login', { body: { email, password } })
        if (res.status !== 200) refused.push(`${email}: ${res.status}`)
      }),
    )
  }
  t.same(refused, [], `${when}: all ${ledger.accounts.length} acknowledged accounts log in`)

  // Works: the author's list holds every acknowledged work, and each one reads back by id.
  const search = await request(
    server.url,
    `/v1/researchers?q=${encodeURIComponent(context.author.display_name)}&limit=5`,
  )
  const found = (search.json as { items: { id: number; name: string }[] }).items.find(
    (r) => r.name === context.author.display_name,
  )
  t.ok(found, `${when}: the works' author exists`)
  const listed = new Map<string, number>()
  for (let offset = 0; found; offset += 100) {
    const page = (await request(server.url, `/v1/researchers/${found.id}/works?limit=100&offset=${offset}`))
      .json as { items: { id: number; title: string }[]; page: { total: number } }
    for (const w of page.items) listed.set(w.title, w.id)
    if (offset + 100 >= page.page.total) break
  }
  const missingWorks = ledger.works.filter((w) => !listed.has(w.title)).map((w) => w.externalId)
  t.same(missingWorks, [], `${when}: all ${ledger.works.length} acknowledged works are listed`)
  const unreadable: string[] = []
  const acked = ledger.works.filter((w) => listed.has(w.title))
  for (let i = 0; i < acked.length; i += 16) {
    await Promise.all(
      acked.slice(i, i + 16).map(async (w) => {
        const res = await request(server.url, `/v1/works/${listed.get(w.title)}`)
        const work = res.json as { externalId?: string; title?: string }
        if (res.status !== 200 || work.externalId !== w.externalId || work.title !== w.title) {
          unreadable.push(`${w.externalId}: ${res.status}`)
        }
      }),
    )
  }
  t.same(unreadable, [], `${when}: each acknowledged work reads back by id`)

  // Messages: the history holds every acknowledged message once, with gapless sequence numbers.
  const history: { clientMessageId: string; body: string; seq: number }[] = []
  for (let after = 0; ; ) {
    const res = await request(
      server.url,
      `/v1/conversations/${context.conversationId}/messages?afterSeq=${after}&limit=200`,
      { token: context.bob.token },
    )
    if (res.status !== 200) {
      t.fail(`${when}: the conversation's history answers ${res.status}`)
      break
    }
    const page = res.json as MessagePage
    history.push(...page.items)
    if (!page.hasMore || page.items.length === 0) break
    after = page.items.at(-1)!.seq
  }
  const stored = new Map(history.map((m) => [m.clientMessageId, m.body]))
  const missingMessages = ledger.messages
    .filter((m) => stored.get(m.clientMessageId) !== m.body)
    .map((m) => m.clientMessageId)
  t.same(
    missingMessages,
    [],
    `${when}: all ${ledger.messages.length} acknowledged messages are in the history`,
  )
  t.same(
    history.map((m) => m.seq),
    Array.from({ length: history.length }, (_, i) => i + 1),
    `${when}: message sequence numbers have no holes`,
  )
  t.equal(new Set(history.map((m) => m.clientMessageId)).size, history.length, `${when}: no message twice`)
}
