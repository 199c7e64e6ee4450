import t from 'tap'
import { TokenService } from '../../src/infra/auth/tokens.js'
import { systemClock } from '../../src/infra/clock.js'
import type {
  InvitationView,
  MessageView,
  NotificationView,
  SentMessage,
} from '../../src/realtime/contract.js'
import { TEST_AUTH_SECRET } from '../helpers/build.js'
import { createMember } from '../helpers/members.js'
import { createSharedPostgres, startServer } from '../helpers/processes.js'
import { ask, collect, connect, next, sleep, waitFor } from '../helpers/realtime.js'

t.test('two server processes on one database deliver to each other’s clients', async (t) => {
  const { url: databaseUrl, database } = await createSharedPostgres()
  const tokens = new TokenService(TEST_AUTH_SECRET, systemClock)
  const env = { DATABASE_URL: databaseUrl, AUTH_SECRET: TEST_AUTH_SECRET }
  const [node1, node2] = await Promise.all([startServer(env), startServer(env)])
  t.teardown(() => Promise.all([node1.kill('SIGTERM'), node2.kill('SIGTERM')]))
  const [ann, bob] = await Promise.all([createMember(database, tokens), createMember(database, tokens)])
  // The adapter subscribes (LISTEN) right after start; give both a moment to be listening.
  await sleep(1_000)

  const annTabs = await Promise.all([
    connect(t, node1.url, { token: ann.token }),
    connect(t, node1.url, { token: ann.token }),
  ])
  const bobTabs = await Promise.all([
    connect(t, node2.url, { token: bob.token }),
    connect(t, node2.url, { token: bob.token }),
  ])

  const received = bobTabs.map((tab) => next<NotificationView>(tab, 'invitation:received', 10_000))
  const sent = await ask<InvitationView>(annTabs[0]!, 'invitation:send', {
    inviteeResearcherId: bob.researcherId,
    message: 'across nodes',
  })
  if (!sent.ok) throw new Error(sent.error.message)
  for (const n of await Promise.all(received)) {
    t.equal(
      (n.data as { invitation: InvitationView }).invitation.id,
      sent.data.id,
      'invitation crossed nodes',
    )
  }

  const updated = annTabs.map((tab) => next<NotificationView>(tab, 'invitation:updated', 10_000))
  const accepted = await ask<InvitationView>(bobTabs[1]!, 'invitation:accept', { invitationId: sent.data.id })
  if (!accepted.ok) throw new Error(accepted.error.message)
  const conversationId = accepted.data.conversationId!
  for (const n of await Promise.all(updated)) {
    t.equal(
      (n.data as { invitation: InvitationView }).invitation.status,
      'accepted',
      'acceptance crossed back',
    )
  }

  const atBob = bobTabs.map((tab) => collect<MessageView>(tab, 'message:new'))
  const atAnn = annTabs.map((tab) => collect<MessageView>(tab, 'message:new'))
  // Both nodes hand out numbers for one conversation at once.
  const sends = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      ask<SentMessage>(i % 2 ? bobTabs[i % 4 < 2 ? 0 : 1]! : annTabs[0]!, 'message:send', {
        conversationId,
        clientMessageId: `n${i}`,
        body: `message ${i}`,
      }),
    ),
  )
  const seqs = sends.map((s) => (s.ok ? s.data.message.seq : -1)).sort((a, b) => a - b)
  t.same(seqs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'no sequence number given twice')
  await waitFor(
    () => atBob.every((seen) => seen.length >= 5) && atAnn[1]!.length === 10,
    10_000,
    'cross-node messages',
  )
  t.equal(atAnn[1]!.length, 10, "Ann's idle tab got every message, both nodes' included")
  t.same(
    atAnn[0]!.map((m) => m.clientMessageId).sort(),
    ['n1', 'n3', 'n5', 'n7', 'n9'],
    "Ann's sending tab got Bob's messages from the other node",
  )
  t.ok(
    atBob.every((seen) => seen.some((m) => m.clientMessageId === 'n0')),
    "Bob's tabs got Ann's messages",
  )
})
