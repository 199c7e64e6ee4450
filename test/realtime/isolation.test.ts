import t from 'tap'
import { openConversation } from '../helpers/conversation.js'
import { createMember } from '../helpers/members.js'
import { ask, buildListening, collect, connect, next, sleep } from '../helpers/realtime.js'

/** Guessing ids buys a socket nothing: every event checks membership, rooms come from the server only. */
t.test('a socket cannot read, write or listen in on a conversation it is not in', async (t) => {
  const { app, database, url } = await buildListening(t)
  const member = () => createMember(database, app.services.tokens)
  const [ann, bob, eve] = [await member(), await member(), await member()]
  const conversationId = await openConversation(app, ann, bob)
  const invitationId = (
    await app.inject({ url: '/v1/invitations?box=sent', headers: { authorization: `Bearer ${ann.token}` } })
  ).json().items[0].id as number

  // Eve says she is Ann in the handshake: only the token counts.
  const eveTab = await connect(t, url, { token: eve.token, accountId: ann.accountId, rooms: ['user:1'] })
  const annTab = await connect(t, url, { token: ann.token })
  const bobTab = await connect(t, url, { token: bob.token })
  const eveHeard = [
    collect(eveTab, 'message:new'),
    collect(eveTab, 'typing:start'),
    collect(eveTab, 'message:read'),
    collect(eveTab, 'invitation:updated'),
  ]
  const annTyping = collect(annTab, 'typing:start')

  const refused = {
    sync: await ask(eveTab, 'conversation:sync', { conversationId, afterSeq: 0 }),
    send: await ask(eveTab, 'message:send', { conversationId, clientMessageId: 'eve-1', body: 'hi' }),
    read: await ask(eveTab, 'message:read', { conversationId, seq: 1 }),
    typing: await ask(eveTab, 'typing:start', { conversationId }),
    withdraw: await ask(eveTab, 'invitation:withdraw', { invitationId }),
    join: await ask(eveTab, 'join', { room: `conversation:${conversationId}` }),
  }
  t.same(Object.fromEntries(Object.entries(refused).map(([k, a]) => [k, a.ok ? 'ok' : a.error.code])), {
    sync: 'NOT_FOUND',
    send: 'NOT_FOUND',
    read: 'NOT_FOUND',
    typing: 'NOT_FOUND',
    withdraw: 'NOT_FOUND',
    join: 'UNKNOWN_EVENT',
  })

  // The members talk; Eve's tab hears none of it, and Ann hears nothing from Eve.
  const delivered = next(bobTab, 'message:new')
  const sent = await ask(annTab, 'message:send', { conversationId, clientMessageId: 'ann-1', body: 'secret' })
  t.ok(sent.ok)
  await delivered
  await ask(annTab, 'typing:start', { conversationId })
  await ask(bobTab, 'message:read', { conversationId, seq: 1 })
  await sleep(200)
  t.same(
    eveHeard.map((seen) => seen.length),
    [0, 0, 0, 0],
    'nothing reached the outsider',
  )
  t.same(annTyping, [], 'no typing from the outsider')
  t.same(
    await ask(eveTab, 'notifications:sync', { after: 0 }),
    { ok: true, data: { items: [], hasMore: false } },
    "the outsider's notifications are her own (none)",
  )
})
