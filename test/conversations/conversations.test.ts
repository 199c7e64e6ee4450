import t from 'tap'
import type { MessageView, NotificationView, SentMessage } from '../../src/realtime/contract.js'
import { openConversation } from '../helpers/conversation.js'
import { createMember, type Member } from '../helpers/members.js'
import { ask, buildListening, collect, connect, next, sleep, waitFor } from '../helpers/realtime.js'

t.test('conversations', async (t) => {
  const { app, database, url } = await buildListening(t)
  const member = (name?: string) => createMember(database, app.services.tokens, name ? { name } : {})
  const http = (who: Member, method: 'GET' | 'POST', path: string, body?: object) =>
    app.inject({
      method,
      url: path,
      headers: { authorization: `Bearer ${who.token}` },
      ...(body ? { payload: body } : {}),
    })

  t.test('two users, two tabs each: invite, accept, converse', async (t) => {
    const [ann, bob] = await Promise.all([member('Ann'), member('Bob')])
    const [annTab1, annTab2, bobTab1, bobTab2] = await Promise.all([
      connect(t, url, { token: ann.token }),
      connect(t, url, { token: ann.token }),
      connect(t, url, { token: bob.token }),
      connect(t, url, { token: bob.token }),
    ])
    const invited = next<NotificationView>(bobTab2, 'invitation:received')
    const sent = await ask<{ id: number }>(annTab1, 'invitation:send', {
      inviteeResearcherId: bob.researcherId,
      message: 'Hello Bob',
    })
    t.ok(sent.ok)
    const invitationId = ((await invited).data as { invitation: { id: number } }).invitation.id
    const opened = next<NotificationView>(annTab2, 'invitation:updated')
    const accepted = await ask<{ conversationId: number }>(bobTab2, 'invitation:accept', { invitationId })
    if (!accepted.ok) throw new Error(accepted.error.message)
    const conversationId = accepted.data.conversationId
    t.equal(
      ((await opened).data as { invitation: { conversationId: number } }).invitation.conversationId,
      conversationId,
    )

    const seen = {
      annTab1: collect<MessageView>(annTab1, 'message:new'),
      annTab2: collect<MessageView>(annTab2, 'message:new'),
      bobTab1: collect<MessageView>(bobTab1, 'message:new'),
      bobTab2: collect<MessageView>(bobTab2, 'message:new'),
    }
    const first = await ask<SentMessage>(annTab1, 'message:send', {
      conversationId,
      clientMessageId: 'ann-1',
      body: 'Hi Bob!',
    })
    if (!first.ok) throw new Error(first.error.message)
    t.equal(first.data.message.seq, 1)
    t.equal(first.data.duplicate, false)
    const reply = await ask<SentMessage>(bobTab1, 'message:send', {
      conversationId,
      clientMessageId: 'bob-1',
      body: 'Hi Ann',
    })
    t.equal(reply.ok && reply.data.message.seq, 2)
    await waitFor(
      () =>
        seen.annTab2.length === 2 &&
        seen.bobTab2.length === 2 &&
        seen.annTab1.length === 1 &&
        seen.bobTab1.length === 1,
      5_000,
      'messages on every tab',
    )
    t.same(
      seen.annTab2.map((m) => m.body),
      ['Hi Bob!', 'Hi Ann'],
      "the sender's other tab gets its own messages",
    )
    t.same(
      seen.annTab1.map((m) => m.body),
      ['Hi Ann'],
      'the sending tab has its ack instead of an echo',
    )
    t.same(
      seen.bobTab2.map((m) => m.seq),
      [1, 2],
    )

    const retry = await ask<SentMessage>(annTab2, 'message:send', {
      conversationId,
      clientMessageId: 'ann-1',
      body: 'Hi Bob!',
    })
    t.ok(retry.ok && retry.data.duplicate, 'a retried client message id is stored once')
    t.equal(retry.ok && retry.data.message.id, first.data.message.id)

    const typing = next<{ accountId: number }>(bobTab1, 'typing:start')
    const typingAck = await ask(annTab1, 'typing:start', { conversationId })
    t.ok(typingAck.ok)
    t.equal((await typing).accountId, ann.accountId)

    const receipt = next<{ accountId: number; seq: number }>(annTab1, 'message:read')
    const read = await ask<{ lastReadSeq: number }>(bobTab2, 'message:read', { conversationId, seq: 99 })
    t.same(read.ok && read.data, { lastReadSeq: 2 }, 'never past the last message')
    t.same(await receipt, { conversationId, accountId: bob.accountId, seq: 2 })

    const history = (await http(bob, 'GET', `/v1/conversations/${conversationId}/messages`)).json()
    t.same(
      history.items.map((m: MessageView) => [m.seq, m.body]),
      [
        [1, 'Hi Bob!'],
        [2, 'Hi Ann'],
      ],
    )
    t.equal(history.lastSeq, 2)
    const list = (await http(bob, 'GET', '/v1/conversations')).json().items
    t.same([list[0].lastSeq, list[0].lastReadSeq], [2, 2])
  })

  t.test('history pages forward and back; HTTP sends are idempotent too', async (t) => {
    const [ann, bob] = await Promise.all([member(), member()])
    const conversationId = await openConversation(app, ann, bob)
    for (let i = 1; i <= 7; i++) {
      const res = await http(i % 2 ? ann : bob, 'POST', `/v1/conversations/${conversationId}/messages`, {
        clientMessageId: `m${i}`,
        body: `message ${i}`,
      })
      t.equal(res.statusCode, 201)
    }
    const again = await http(ann, 'POST', `/v1/conversations/${conversationId}/messages`, {
      clientMessageId: 'm1',
      body: 'message 1',
    })
    t.equal(again.statusCode, 200)
    t.equal(again.json().message.seq, 1)
    for (const blank of ['   ', '\u200b\n'])
      t.equal(
        (
          await http(ann, 'POST', `/v1/conversations/${conversationId}/messages`, {
            clientMessageId: 'blank',
            body: blank,
          })
        ).statusCode,
        400,
        'a message that shows nothing is not sent',
      )
    const page1 = (await http(ann, 'GET', `/v1/conversations/${conversationId}/messages?limit=3`)).json()
    t.same(
      page1.items.map((m: MessageView) => m.seq),
      [1, 2, 3],
    )
    t.equal(page1.hasMore, true)
    const page2 = (
      await http(ann, 'GET', `/v1/conversations/${conversationId}/messages?limit=3&afterSeq=3`)
    ).json()
    t.same(
      page2.items.map((m: MessageView) => m.seq),
      [4, 5, 6],
    )
    const back = (
      await http(ann, 'GET', `/v1/conversations/${conversationId}/messages?limit=3&beforeSeq=7`)
    ).json()
    t.same(
      back.items.map((m: MessageView) => m.seq),
      [4, 5, 6],
    )
    t.equal(back.hasMore, true)
    const tail = (await http(ann, 'GET', `/v1/conversations/${conversationId}/messages?afterSeq=6`)).json()
    t.same([tail.items.length, tail.hasMore, tail.lastSeq], [1, false, 7])
  })

  t.test('members only, blocks stop messages, concurrent sends get distinct numbers', async (t) => {
    const [ann, bob, eve] = await Promise.all([member(), member(), member()])
    const conversationId = await openConversation(app, ann, bob)
    const eveTab = await connect(t, url, { token: eve.token })
    const intruder = await ask(eveTab, 'message:send', { conversationId, clientMessageId: 'x', body: 'hi' })
    t.same(intruder.ok ? null : intruder.error.code, 'NOT_FOUND')
    t.equal((await http(eve, 'GET', `/v1/conversations/${conversationId}/messages`)).statusCode, 404)
    const eveTyping = await ask(eveTab, 'typing:start', { conversationId })
    t.same(eveTyping.ok ? null : eveTyping.error.code, 'NOT_FOUND')

    const sends = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        http(i % 2 ? ann : bob, 'POST', `/v1/conversations/${conversationId}/messages`, {
          clientMessageId: `c${i}`,
          body: `concurrent ${i}`,
        }),
      ),
    )
    t.same(
      sends.map((r) => r.json().message.seq).sort((a: number, b: number) => a - b),
      Array.from({ length: 20 }, (_, i) => i + 1),
    )

    const put = await app.inject({
      method: 'PUT',
      url: `/v1/blocks/${ann.researcherId}`,
      headers: { authorization: `Bearer ${bob.token}` },
    })
    t.equal(put.statusCode, 200)
    const blocked = await http(ann, 'POST', `/v1/conversations/${conversationId}/messages`, {
      clientMessageId: 'after-block',
      body: 'still there?',
    })
    t.equal(blocked.statusCode, 403)
    await sleep(5)
  })
})
