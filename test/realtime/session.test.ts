import t from 'tap'
import { TokenService } from '../../src/infra/auth/tokens.js'
import { systemClock } from '../../src/infra/clock.js'
import { RealtimeClient } from '../../src/realtime/client.js'
import { TEST_AUTH_SECRET } from '../helpers/build.js'
import { movableClock } from '../helpers/identity.js'
import { createMember } from '../helpers/members.js'
import { ask, buildListening, connect, next, sleep } from '../helpers/realtime.js'

t.test('a socket closes when its token expires', async (t) => {
  const { app, database, url } = await buildListening(t, { config: { ACCESS_TOKEN_TTL_SECONDS: 3 } })
  const member = await createMember(database, app.services.tokens)
  const token = app.services.tokens.issueAccessToken({ accountId: member.accountId, role: 'researcher' })
  const tab = await connect(t, url, { token: token.token })
  const expired = next<{ expiredAt: string }>(tab, 'auth:expired', 15_000)
  const closed = new Promise<string>((resolve) => tab.once('disconnect', resolve))
  t.ok((await ask(tab, 'notifications:sync', { after: 0 })).ok, 'served while the token is valid')
  t.equal((await expired).expiredAt, token.expiresAt.toISOString())
  t.equal(await closed, 'io server disconnect')
})

t.test('auth:refresh keeps the socket open past the first token', async (t) => {
  const { app, database, url } = await buildListening(t, { config: { ACCESS_TOKEN_TTL_SECONDS: 2 } })
  // Same secret, longer life: the renewal must not race the short test TTL on a busy machine.
  const longLived = new TokenService(TEST_AUTH_SECRET, systemClock, 600)
  const member = await createMember(database, app.services.tokens)
  const other = await createMember(database, longLived)
  const first = app.services.tokens.issueAccessToken({ accountId: member.accountId, role: 'researcher' })
  const tab = await connect(t, url, { token: first.token })
  let expiredEvents = 0
  tab.on('auth:expired', () => expiredEvents++)

  const foreign = await ask(tab, 'auth:refresh', { token: other.token })
  t.equal(foreign.ok ? null : foreign.error.code, 'FORBIDDEN', "another account's token is refused")
  const forged = await ask(tab, 'auth:refresh', { token: `${member.token}x` })
  t.equal(forged.ok ? null : forged.error.code, 'UNAUTHORIZED')
  const empty = await ask(tab, 'auth:refresh', {})
  t.equal(empty.ok ? null : empty.error.code, 'VALIDATION_FAILED')

  const renewal = longLived.issueAccessToken({ accountId: member.accountId, role: 'researcher' })
  const renewed = await ask<{ expiresAt: string }>(tab, 'auth:refresh', { token: renewal.token })
  t.same(renewed, { ok: true, data: { expiresAt: renewal.expiresAt.toISOString() } })
  await sleep(first.expiresAt.getTime() - Date.now() + 1_000)
  t.ok(tab.connected, 'still connected after the first token would have expired')
  t.equal(expiredEvents, 0)
  t.ok((await ask(tab, 'notifications:sync', { after: 0 })).ok)
})

t.test('events on an expired session are refused even before the timer fires', async (t) => {
  const clock = movableClock(new Date())
  const { app, database, url } = await buildListening(t, { clock })
  const member = await createMember(database, app.services.tokens)
  const tab = await connect(t, url, { token: member.token })
  t.ok((await ask(tab, 'notifications:sync', { after: 0 })).ok)
  clock.advance(16 * 60_000)
  const refused = await ask(tab, 'notifications:sync', { after: 0 })
  t.equal(refused.ok ? null : refused.error.code, 'TOKEN_EXPIRED')
  const renewed = await ask(tab, 'auth:refresh', {
    token: app.services.tokens.issueAccessToken({ accountId: member.accountId, role: 'researcher' }).token,
  })
  t.ok(renewed.ok, 'a fresh token revives the session')
  t.ok((await ask(tab, 'notifications:sync', { after: 0 })).ok)
})

t.test('the reference client renews its session and reconnects with the new token', async (t) => {
  const { app, database, url } = await buildListening(t, { config: { ACCESS_TOKEN_TTL_SECONDS: 2 } })
  const longLived = new TokenService(TEST_AUTH_SECRET, systemClock, 600)
  const member = await createMember(database, app.services.tokens)
  const first = app.services.tokens.issueAccessToken({ accountId: member.accountId, role: 'researcher' })
  const client = new RealtimeClient({ url, token: first.token })
  t.teardown(() => client.close())
  await client.connected()
  const answer = await client.renew(
    longLived.issueAccessToken({ accountId: member.accountId, role: 'researcher' }).token,
  )
  t.ok(answer.ok)
  await sleep(first.expiresAt.getTime() - Date.now() + 1_000)
  t.ok(client.socket.connected, 'the renewed session outlives the first token')
  client.socket.disconnect().connect()
  await client.connected()
  t.ok(client.socket.connected, 'a reconnect after the first token expired uses the renewed one')
})
