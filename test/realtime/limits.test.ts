import { sql } from 'drizzle-orm'
import { io } from 'socket.io-client'
import t from 'tap'
import type { ClientSocket } from '../../src/realtime/client.js'
import { openConversation } from '../helpers/conversation.js'
import { createMember } from '../helpers/members.js'
import { ask, buildListening, connect, waitFor } from '../helpers/realtime.js'

/** An emit without an ack, past the typed contract, as a careless or hostile client would. */
const rawEmit = (socket: ClientSocket, event: string, payload: unknown) =>
  (socket as unknown as { emit(e: string, p: unknown): void }).emit(event, payload)

t.test('socket limits', async (t) => {
  const { app, database, url } = await buildListening(t, {
    config: {
      REALTIME_MAX_PAYLOAD_BYTES: 2048,
      REALTIME_SOCKET_EVENTS_PER_SECOND: 5,
      REALTIME_SOCKET_BURST: 5,
      REALTIME_SOCKET_MAX_STRIKES: 10,
    },
  })
  const member = () => createMember(database, app.services.tokens)

  t.test('the handshake needs a valid token', async (t) => {
    for (const auth of [{}, { token: 'nope' }, { token: `${(await member()).token}x` }]) {
      const socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true })
      const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve))
      t.equal(error.message, 'UNAUTHORIZED')
      socket.disconnect()
    }
  })

  t.test('bad input is answered, not obeyed', async (t) => {
    const unclaimed = await createMember(database, app.services.tokens, { claimed: false })
    const tab = await connect(t, url, { token: unclaimed.token })
    const invalid = await ask(tab, 'message:send', { conversationId: 'one', body: 5 })
    t.equal(invalid.ok ? null : invalid.error.code, 'VALIDATION_FAILED')
    const unknown = await ask(tab, 'admin:nuke', {})
    t.equal(unknown.ok ? null : unknown.error.code, 'UNKNOWN_EVENT')
    rawEmit(tab, 'message:send', { conversationId: 1, clientMessageId: 'a', body: 'no ack' })
    const notClaimed = await ask(tab, 'invitation:send', { inviteeResearcherId: 1, message: 'hi' })
    t.equal(notClaimed.ok ? null : notClaimed.error.code, 'FORBIDDEN', 'domain errors come back as acks')
    t.ok(tab.connected)
  })

  t.test('text PostgreSQL cannot store is refused in the ack and nothing is written', async (t) => {
    const [ann, bob] = [await member(), await member()]
    const conversationId = await openConversation(app, ann, bob)
    const tab = await connect(t, url, { token: ann.token })
    const refused = await ask(tab, 'message:send', {
      conversationId,
      clientMessageId: 'nul',
      body: 'a\u0000b',
    })
    t.same(refused.ok ? null : [refused.error.code, refused.error.details], [
      'VALIDATION_FAILED',
      [{ path: '/body', message: 'must not contain NUL characters' }],
    ])
    const invite = await ask(tab, 'invitation:send', {
      inviteeResearcherId: bob.researcherId,
      message: '\u0000',
    })
    t.equal(invite.ok ? null : invite.error.code, 'VALIDATION_FAILED')
    const sent = await ask(tab, 'message:send', { conversationId, clientMessageId: 'ok', body: 'fine' })
    t.ok(sent.ok, 'the conversation still works')
    const [stored] = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from messages where conversation_id = ${conversationId}`,
    )
    t.equal(stored!.n, 1, 'only the valid message was stored')
  })

  t.test('a socket over its rate is refused, then disconnected', async (t) => {
    const tab = await connect(t, url, { token: (await member()).token })
    const closed = new Promise<string>((resolve) => tab.once('disconnect', resolve))
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        ask(tab, 'notifications:sync', { after: 0 }).catch(() => ({
          ok: false,
          error: { code: 'NO_ANSWER' },
        })),
      ),
    )
    const codes = answers.map((a) => (a.ok ? 'OK' : a.error.code))
    t.equal(codes.filter((c) => c === 'OK').length, 5, 'the burst is served')
    t.ok(codes.includes('RATE_LIMITED'))
    for (let i = 0; i < 5; i++) rawEmit(tab, 'typing:start', { conversationId: 1 })
    t.equal(await closed, 'io server disconnect', 'cut off after too many strikes')
  })

  t.test('an oversized packet closes the connection; the server carries on', async (t) => {
    const tab = await connect(t, url, { token: (await member()).token })
    const closed = new Promise<string>((resolve) => tab.once('disconnect', resolve))
    rawEmit(tab, 'message:send', { conversationId: 1, clientMessageId: 'big', body: 'x'.repeat(10_000) })
    t.equal(await closed, 'transport close')
    const other = await connect(t, url, { token: (await member()).token })
    await waitFor(() => other.connected)
    const ok = await ask(other, 'notifications:sync', { after: 0 })
    t.ok(ok.ok, 'others are still served')
    t.equal((await app.inject({ url: '/health' })).statusCode, 200)
  })
})
