import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import type { InvitationView } from '../../src/realtime/contract.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { annClaimant, releaseOwnClaim, seedCatalogue, signUp } from '../helpers/identity.js'
import { createMember, type Member } from '../helpers/members.js'
import { waitFor } from '../helpers/realtime.js'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

async function invite(app: FastifyInstance, from: Member, to: number) {
  return app.inject({
    method: 'POST',
    url: '/v1/invitations',
    headers: bearer(from.token),
    payload: { inviteeResearcherId: to, message: 'Shall we work together?' },
  })
}

const statusOf = async (app: FastifyInstance, viewer: Member, id: number) =>
  (await app.inject({ url: `/v1/invitations/${id}`, headers: bearer(viewer.token) })).json().status as string

/** Ann's record claimed by a real account, and Olga, who will invite her. */
async function annAndOlga(t: Test) {
  const database = await freshDatabase()
  const app = await build(t, { database })
  const { ann } = await seedCatalogue(app)
  const first = await annClaimant(app, ann)
  const olga = await createMember(database, app.services.tokens, { name: 'Olga Other' })
  return { database, app, ann, first, olga }
}

t.test("a released record's pending invitations lapse, and the next claimant can be invited", async (t) => {
  const { app, ann, first, olga } = await annAndOlga(t)
  const sent = await invite(app, olga, ann)
  t.equal(sent.statusCode, 201)
  const invitation = sent.json() as InvitationView

  t.equal((await releaseOwnClaim(app, first.user)).statusCode, 200)
  await waitFor(async () => (await statusOf(app, olga, invitation.id)) === 'expired')
  const told = (await app.inject({ url: '/v1/notifications', headers: bearer(olga.token) })).json().items
  t.match(told.at(-1), {
    type: 'invitation:updated',
    data: { invitation: { id: invitation.id, status: 'expired' } },
  })

  const second = await annClaimant(app, ann)
  const again = await invite(app, olga, ann)
  t.equal(again.statusCode, 201, 'the next claimant can be invited at once')
  t.equal(again.json().invitee.accountId, second.user.accountId)
})

t.test('an invitation whose record changed hands unnoticed lapses when anyone acts on it', async (t) => {
  const { database, app, ann, first, olga } = await annAndOlga(t)
  const invitation = (await invite(app, olga, ann)).json() as InvitationView
  // The release as a process that stopped before its follow-up work would leave it.
  await database.rows(sql`update researchers set claimed_by_account_id = null where id = ${ann} returning id`)

  const accepted = await app.inject({
    method: 'POST',
    url: `/v1/invitations/${invitation.id}/accept`,
    headers: first.user.headers,
  })
  t.equal(accepted.statusCode, 409, 'the old account cannot accept for a record it let go')
  t.equal(await statusOf(app, olga, invitation.id), 'expired')
  const conversations = (await app.inject({ url: '/v1/conversations', headers: first.user.headers })).json()
  t.same(conversations.items, [], 'and no conversation was opened')

  // Another invitation, pending when the record changed hands, is found lapsed by a new one.
  const hand = (accountId: number) =>
    database.rows(
      sql`update researchers set claimed_by_account_id = ${accountId} where id = ${ann} returning id`,
    )
  await hand(first.user.accountId)
  const ben = await createMember(database, app.services.tokens, { name: 'Ben Other' })
  const fromBen = (await invite(app, ben, ann)).json() as InvitationView
  t.equal(fromBen.invitee.accountId, first.user.accountId)
  const next = await signUp(app)
  await hand(next.accountId)
  const renewed = await invite(app, ben, ann)
  t.equal(renewed.statusCode, 201, 'a new invitation for the pair is not refused over the lapsed one')
  t.equal(renewed.json().invitee.accountId, next.accountId)
  t.equal(await statusOf(app, ben, fromBen.id), 'expired')
})
