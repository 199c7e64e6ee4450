import t from 'tap'
import type { NormalizedWork } from '../../src/ingest/openalex.js'
import { RealtimeClient } from '../../src/realtime/client.js'
import type { NotificationPage, NotificationView } from '../../src/realtime/contract.js'
import { TableFollowers } from '../helpers/followers.js'
import { createMember, type Member } from '../helpers/members.js'
import { buildListening, collect, connect, next, sleep, waitFor } from '../helpers/realtime.js'

const work = (externalId: string, title: string, authors: Member[]): NormalizedWork => ({
  externalId,
  doi: null,
  title,
  abstract: null,
  year: 2024,
  type: 'article',
  venue: null,
  authorships: authors.map((a, i) => ({
    position: i,
    author: { externalId: a.externalId!, name: a.name, orcid: null },
    institutions: [],
  })),
  topics: [],
  contentHash: `${externalId}:${title}`,
})

t.test('notifications', async (t) => {
  let followers!: TableFollowers
  const lookup = { followersOf: (ids: readonly number[]) => followers.followersOf(ids) }
  const { app, database, url } = await buildListening(t, { followers: lookup })
  followers = await new TableFollowers(database).ready()
  const member = (name?: string) => createMember(database, app.services.tokens, name ? { name } : {})
  const invite = (from: Member, to: Member) =>
    app.inject({
      method: 'POST',
      url: '/v1/invitations',
      headers: { authorization: `Bearer ${from.token}` },
      payload: { inviteeResearcherId: to.researcherId, message: 'hello' },
    })
  const withdraw = (from: Member, id: number) =>
    app.inject({
      method: 'POST',
      url: `/v1/invitations/${id}/withdraw`,
      headers: { authorization: `Bearer ${from.token}` },
    })

  t.test('an offline user catches up in order, exactly once, and resumes from the last id', async (t) => {
    const [bob, ann, carol, dan] = await Promise.all([member(), member(), member(), member()])
    const first = (await invite(ann, bob)).json()
    await withdraw(ann, first.id)
    await invite(carol, bob)

    const tab = new RealtimeClient({ url, token: bob.token })
    t.teardown(() => tab.close())
    await tab.connected()
    await waitFor(() => tab.notifications.length === 3, 5_000, 'catch-up')
    t.same(
      tab.notifications.map((n) => n.type),
      ['invitation:received', 'invitation:updated', 'invitation:received'],
    )
    const ids = tab.notifications.map((n) => n.id)
    t.same(
      ids,
      [...ids].sort((a, b) => a - b),
      'oldest first',
    )
    tab.close()

    // Away: two more, then a new session resumes from the last id it saw.
    const saved = tab.lastNotificationId
    await invite(dan, bob)
    const annAgain = (await invite(ann, bob)).json()
    const back = new RealtimeClient({ url, token: bob.token, lastNotificationId: saved })
    t.teardown(() => back.close())
    await back.connected()
    await waitFor(() => back.notifications.length === 2, 5_000, 'resume')
    t.same(
      back.notifications.map((n) => (n.data as { invitation: { id: number } }).invitation.id),
      [annAgain.id - 1, annAgain.id],
    )
    // Live again: a push arrives once even though sync and push may both carry it.
    await withdraw(ann, annAgain.id)
    await waitFor(() => back.notifications.length === 3, 5_000, 'live')
    await sleep(100)
    t.equal(back.notifications.length, 3)

    const http = await app.inject({
      url: `/v1/notifications?after=${saved}&limit=2`,
      headers: { authorization: `Bearer ${bob.token}` },
    })
    const page = http.json() as NotificationPage
    t.same([page.items.length, page.hasMore], [2, true])
    t.equal((await app.inject({ url: '/v1/notifications' })).statusCode, 401, 'notifications need a caller')
  })

  t.test('the handshake can ask for a replay', async (t) => {
    const [ann, bob] = await Promise.all([member(), member()])
    await invite(ann, bob)
    let replayed!: Promise<NotificationPage>
    await connect(t, url, { token: bob.token, lastNotificationId: 0 }, (socket) => {
      replayed = next<NotificationPage>(socket, 'notifications:replay')
    })
    const replay = await replayed
    t.equal(replay.items.length, 1)
    t.equal(replay.items[0]!.type, 'invitation:received')
    t.equal(replay.hasMore, false)
  })

  t.test('a followed researcher’s new work reaches every follower once', async (t) => {
    const [author, coauthor, fan, quiet, away] = await Promise.all([
      member('Followed Author'),
      member(),
      member(),
      member(),
      member(),
    ])
    for (const who of [fan, away, author]) await followers.follow(who.accountId, author.researcherId!)
    const fanTabs = await Promise.all([
      connect(t, url, { token: fan.token }),
      connect(t, url, { token: fan.token }),
    ])
    const quietTab = await connect(t, url, { token: quiet.token })
    const authorTab = await connect(t, url, { token: author.token })
    const quietSeen = collect(quietTab, 'follow:work')
    const authorSeen = collect(authorTab, 'follow:work')
    const arrivals = fanTabs.map((tab) => next<NotificationView>(tab, 'follow:work'))

    await app.services.ingest.storeWorks([work('W-new-1', 'A fresh result', [author, coauthor])])
    const [one, two] = await Promise.all(arrivals)
    t.equal(one!.id, two!.id)
    t.same(one!.data, {
      researcherId: author.researcherId,
      researcherName: 'Followed Author',
      works: [
        { id: (one!.data as { works: { id: number }[] }).works[0]!.id, title: 'A fresh result', year: 2024 },
      ],
    })
    const stored = await app.inject({
      url: '/v1/notifications',
      headers: { authorization: `Bearer ${away.token}` },
    })
    t.same(
      stored.json().items.map((n: NotificationView) => n.id),
      [one!.id],
      'stored for the follower who was away',
    )

    // A changed (not new) work is not news.
    const repeat = collect(fanTabs[0]!, 'follow:work')
    await app.services.ingest.storeWorks([work('W-new-1', 'A fresh result, revised', [author, coauthor])])
    await sleep(200)
    t.same(repeat, [])
    t.same(quietSeen, [], 'non-followers hear nothing')
    t.same(authorSeen, [], 'the author is not told about their own work')
  })

  t.test('new follower, claim decision and strong suggestions become notifications', async (t) => {
    const [owner, fan] = await Promise.all([member(), member()])
    const tab = await connect(t, url, { token: owner.token })
    const follower = next<NotificationView>(tab, 'follow:follower')
    app.services.events.emit('follow:created', {
      followerAccountId: fan.accountId,
      researcherId: owner.researcherId!,
    })
    t.same((await follower).data, { researcherId: owner.researcherId, followerAccountId: fan.accountId })

    const claim = next<NotificationView>(tab, 'claim:decided')
    app.services.events.emit('claim:decided', {
      claimId: 7,
      accountId: owner.accountId,
      researcherId: owner.researcherId!,
      status: 'approved',
    })
    t.same((await claim).data, { claimId: 7, researcherId: owner.researcherId, status: 'approved' })

    const suggestions = collect<NotificationView>(tab, 'suggestion:new')
    app.services.events.emit('suggestion:created', {
      researcherId: owner.researcherId!,
      suggestedResearcherId: fan.researcherId!,
      score: 1.2,
    })
    app.services.events.emit('suggestion:created', {
      researcherId: owner.researcherId!,
      suggestedResearcherId: fan.researcherId!,
      score: 2.31,
    })
    await waitFor(() => suggestions.length === 1, 5_000, 'strong suggestion')
    await sleep(100)
    t.equal(suggestions.length, 1, 'weak suggestions are not pushed')
    t.equal((suggestions[0]!.data as { score: number }).score, 2.31)
  })

  t.test('a failing fan-out is logged, not fatal', async (t) => {
    const original = followers
    followers = Object.assign(Object.create(TableFollowers.prototype), {
      followersOf: async () => {
        throw new Error('lookup down')
      },
    })
    try {
      const author = await member()
      app.services.events.emit('works:changed', { workIds: [] })
      await app.services.ingest.storeWorks([work('W-fail', 'Nobody hears this', [author])])
      await sleep(100)
    } finally {
      followers = original
    }
    t.equal((await app.inject({ url: '/health' })).statusCode, 200, 'still serving')
  })
})
