import { eq, inArray } from 'drizzle-orm'
import t from 'tap'
import { researcherSuspensions, researchers } from '../../db/schema/index.js'
import type { Clock } from '../../src/infra/clock.js'
import type { InvitationView, NotificationView } from '../../src/realtime/contract.js'
import { createMember, createUnclaimedRecord, type Member } from '../helpers/members.js'
import { ask, buildListening, collect, connect, next, sleep } from '../helpers/realtime.js'

const start = new Date('2030-01-01T00:00:00Z').getTime()

t.test('invitations', async (t) => {
  let now = start
  const clock: Clock = { now: () => new Date(now) }
  const { app, database, url } = await buildListening(t, {
    clock,
    config: { REALTIME_INVITATION_TTL_SECONDS: 3600, REALTIME_INVITATIONS_PER_HOUR: 3 },
  })
  const fresh = (who: Member) =>
    app.services.tokens.issueAccessToken({ accountId: who.accountId, role: 'researcher' }).token
  const member = (name?: string) => createMember(database, app.services.tokens, name ? { name } : {})
  const http = (
    who: Member | null,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ) =>
    app.inject({
      method,
      url: path,
      // Minted per request: the test moves the clock past a token's lifetime.
      ...(who ? { headers: { authorization: `Bearer ${fresh(who)}` } } : {}),
      ...(body === undefined ? {} : { payload: body as object }),
    })
  const invite = (from: Member, to: number, message = 'Shall we work together?') =>
    http(from, 'POST', '/v1/invitations', { inviteeResearcherId: to, message })

  t.test('only claimed records invite and get invited', async (t) => {
    const ann = await member()
    const unclaimedAccount = await createMember(database, app.services.tokens, { claimed: false })
    const record = await createUnclaimedRecord(database)

    const notClaimed = await invite(ann, record)
    t.equal(notClaimed.statusCode, 409)
    t.same(notClaimed.json().error.details, { reason: 'INVITEE_NOT_CLAIMED' })

    const noClaim = await invite(unclaimedAccount, ann.researcherId!)
    t.equal(noClaim.statusCode, 403)
    t.match(noClaim.json().error.message, /Claim this author entity first to unlock direct invitations/)

    t.equal((await invite(ann, ann.researcherId!)).statusCode, 400, 'not yourself')
    t.equal((await invite(ann, 999_999)).statusCode, 404)
    t.equal(
      (await http(null, 'POST', '/v1/invitations', { inviteeResearcherId: 1, message: 'x' })).statusCode,
      401,
    )
    const bad = await http(ann, 'POST', '/v1/invitations', { inviteeResearcherId: 1, message: '' })
    t.equal(bad.statusCode, 400)
    t.equal(bad.json().error.code, 'VALIDATION_FAILED')
    const count = await http(ann, 'GET', '/v1/invitations?box=sent')
    t.equal(count.json().page.total, 0, 'nothing was written by refused attempts')
  })

  t.test('a split profile: the refusal names the record the same person claimed', async (t) => {
    const ann = await member()
    const bob = await member()
    const bobsOtherRecord = await createUnclaimedRecord(database, 'B. Other')
    await database.db
      .update(researchers)
      .set({ orcid: '0000-0001-5109-3700' })
      .where(inArray(researchers.id, [bob.researcherId!, bobsOtherRecord]))
    const refused = await invite(ann, bobsOtherRecord)
    t.equal(refused.statusCode, 409)
    t.same(refused.json().error.details, {
      reason: 'INVITEE_NOT_CLAIMED',
      claimedResearcherId: bob.researcherId,
    })
    t.match(refused.json().error.message, new RegExp(`claimed record ${bob.researcherId}`))

    // A suspended record is no place to send anyone.
    await database.db
      .insert(researcherSuspensions)
      .values({ researcherId: bob.researcherId!, reason: 'test' })
    const suspended = await invite(ann, bobsOtherRecord)
    t.same(suspended.json().error.details, { reason: 'INVITEE_NOT_CLAIMED' })
    await database.db
      .delete(researcherSuspensions)
      .where(eq(researcherSuspensions.researcherId, bob.researcherId!))
    const count = await http(ann, 'GET', '/v1/invitations?box=sent')
    t.equal(count.json().page.total, 0, 'nothing was written by the refusals')
  })

  t.test('send over a socket, every tab of the invitee hears it, accept opens a conversation', async (t) => {
    const ann = await member('Ann Inviter')
    const bob = await member('Bob Invitee')
    const [annTab1, annTab2, bobTab1, bobTab2] = await Promise.all([
      connect(t, url, { token: ann.token }),
      connect(t, url, { token: ann.token }),
      connect(t, url, { token: bob.token }),
      connect(t, url, { token: bob.token }),
    ])
    const annReceived = collect(annTab1, 'invitation:received')
    const received = Promise.all([
      next<NotificationView>(bobTab1, 'invitation:received'),
      next<NotificationView>(bobTab2, 'invitation:received'),
    ])
    const sent = await ask<InvitationView>(annTab1, 'invitation:send', {
      inviteeResearcherId: bob.researcherId,
      message: 'Your corpus work fits my project',
      suggestionId: 42,
    })
    if (!sent.ok) throw new Error(sent.error.message)
    t.equal(sent.data.status, 'pending')
    t.equal(sent.data.suggestionId, 42)
    t.same(sent.data.sender, {
      researcherId: ann.researcherId,
      accountId: ann.accountId,
      name: 'Ann Inviter',
    })
    t.equal(new Date(sent.data.expiresAt).getTime(), now + 3600_000, 'TTL from the config')
    const [r1, r2] = await received
    t.equal(r1.id, r2.id, 'one stored notification, both tabs')
    t.equal(r1.type, 'invitation:received')
    t.equal((r1.data as { invitation: InvitationView }).invitation.id, sent.data.id)

    const stored = (await http(bob, 'GET', '/v1/notifications?after=0')).json()
    t.same(
      stored.items.map((n: NotificationView) => n.id),
      [r1.id],
    )

    t.equal(
      (await invite(bob, ann.researcherId!)).statusCode,
      409,
      'one pending invitation per pair, either way',
    )

    const updates = [annTab1, annTab2, bobTab1, bobTab2].map((tab) =>
      next<NotificationView>(tab, 'invitation:updated'),
    )
    const accepted = await http(bob, 'POST', `/v1/invitations/${sent.data.id}/accept`)
    t.equal(accepted.statusCode, 200)
    const conversationId = accepted.json().conversationId
    t.ok(conversationId)
    t.equal(accepted.json().status, 'accepted')
    for (const update of await Promise.all(updates)) {
      const invitation = (update.data as { invitation: InvitationView }).invitation
      t.equal(invitation.status, 'accepted')
      t.equal(invitation.conversationId, conversationId)
    }
    t.same(annReceived, [], 'the sender is not told about its own invitation')

    const again = await http(bob, 'POST', `/v1/invitations/${sent.data.id}/accept`)
    t.equal(again.statusCode, 409)
    t.equal((await http(ann, 'POST', `/v1/invitations/${sent.data.id}/decline`)).statusCode, 403)
    const conversations = (await http(ann, 'GET', '/v1/conversations')).json().items
    t.equal(conversations.length, 1)
    t.equal(conversations[0].id, conversationId)
    t.same(conversations[0].members.map((m: { name: string }) => m.name).sort(), [
      'Ann Inviter',
      'Bob Invitee',
    ])
    t.equal((await invite(ann, bob.researcherId!)).statusCode, 409, 'they already have a conversation')
  })

  t.test('decline and withdraw tell both sides; outsiders see nothing', async (t) => {
    const [ann, bob, carol, eve] = await Promise.all([member(), member(), member(), member()])
    const annTab = await connect(t, url, { token: ann.token })
    const toBob = (await invite(ann, bob.researcherId!)).json() as InvitationView
    const toCarol = (await invite(ann, carol.researcherId!)).json() as InvitationView

    const declined = next<NotificationView>(annTab, 'invitation:updated')
    t.equal((await http(bob, 'POST', `/v1/invitations/${toBob.id}/decline`)).json().status, 'declined')
    t.equal(((await declined).data as { invitation: InvitationView }).invitation.status, 'declined')

    t.equal((await http(carol, 'POST', `/v1/invitations/${toCarol.id}/withdraw`)).statusCode, 403)
    t.equal((await http(eve, 'POST', `/v1/invitations/${toCarol.id}/accept`)).statusCode, 404)
    t.equal((await http(eve, 'GET', `/v1/invitations/${toCarol.id}`)).statusCode, 404)
    const carolTab = await connect(t, url, { token: carol.token })
    const withdrawn = next<NotificationView>(carolTab, 'invitation:updated')
    const ack = await ask<InvitationView>(annTab, 'invitation:withdraw', { invitationId: toCarol.id })
    t.equal(ack.ok && ack.data.status, 'withdrawn')
    t.equal(((await withdrawn).data as { invitation: InvitationView }).invitation.status, 'withdrawn')

    const sent = (await http(ann, 'GET', '/v1/invitations?box=sent')).json()
    t.same(sent.items.map((i: InvitationView) => i.status).sort(), ['declined', 'withdrawn'])
    const received = (await http(carol, 'GET', '/v1/invitations?box=received&status=withdrawn')).json()
    t.equal(received.page.total, 1)
  })

  t.test('pending invitations expire after the TTL', async (t) => {
    const [ann, bob, carol] = await Promise.all([member(), member(), member()])
    const bobTab = await connect(t, url, { token: bob.token })
    const toBob = (await invite(ann, bob.researcherId!)).json() as InvitationView
    const toCarol = (await invite(ann, carol.researcherId!)).json() as InvitationView
    now += 3600_000
    try {
      const expired = next<NotificationView>(bobTab, 'invitation:updated')
      t.ok((await app.services.invitations.expireDue()) >= 1)
      t.equal(((await expired).data as { invitation: InvitationView }).invitation.status, 'expired')
      t.equal((await http(bob, 'POST', `/v1/invitations/${toBob.id}/accept`)).statusCode, 409)

      // Not swept yet: the action itself notices, records the expiry, and refuses.
      const late = await http(carol, 'POST', `/v1/invitations/${toCarol.id}/accept`)
      t.equal(late.statusCode, 409)
      t.match(late.json().error.message, /expired/)
      t.equal((await http(carol, 'GET', `/v1/invitations/${toCarol.id}`)).json().status, 'expired')
      t.equal((await invite(ann, bob.researcherId!)).statusCode, 201, 'the pair may try again')
    } finally {
      now = start + 2 * 3600_000
    }
  })

  t.test('a sender is rate limited per hour', async (t) => {
    const sender = await member()
    const targets = await Promise.all([member(), member(), member(), member()])
    for (const target of targets.slice(0, 3))
      t.equal((await invite(sender, target.researcherId!)).statusCode, 201)
    const limited = await invite(sender, targets[3]!.researcherId!)
    t.equal(limited.statusCode, 429)
    t.equal(limited.json().error.code, 'RATE_LIMITED')
    now += 3600_000
    t.equal((await invite(sender, targets[3]!.researcherId!)).statusCode, 201, 'the next hour')
  })

  t.test('a block stops invitations both ways until lifted', async (t) => {
    const [ann, bob] = await Promise.all([member(), member()])
    t.equal((await http(bob, 'PUT', `/v1/blocks/${ann.researcherId}`)).statusCode, 200)
    t.equal((await http(bob, 'PUT', `/v1/blocks/${ann.researcherId}`)).statusCode, 200, 'idempotent')
    t.equal((await invite(ann, bob.researcherId!)).statusCode, 403)
    t.equal((await invite(bob, ann.researcherId!)).statusCode, 403)
    t.same(
      (await http(bob, 'GET', '/v1/blocks'))
        .json()
        .items.map((b: { researcherId: number }) => b.researcherId),
      [ann.researcherId],
    )
    t.equal((await http(bob, 'DELETE', `/v1/blocks/${ann.researcherId}`)).statusCode, 204)
    t.equal((await http(bob, 'DELETE', `/v1/blocks/${ann.researcherId}`)).statusCode, 404)
    t.equal((await invite(ann, bob.researcherId!)).statusCode, 201)
  })

  t.test('concurrent invitations between one pair: exactly one wins', async (t) => {
    const [ann, bob] = await Promise.all([member(), member()])
    const results = await Promise.all([invite(ann, bob.researcherId!), invite(bob, ann.researcherId!)])
    t.same(results.map((r) => r.statusCode).sort(), [201, 409])
    await sleep(10)
  })
})
