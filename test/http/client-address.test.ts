import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config/config.js'
import { build } from '../helpers/build.js'

const login = (app: FastifyInstance, from: { remoteAddress?: string; forwardedFor?: string }) =>
  app
    .inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'x@example.org', password: 'wrong password' },
      ...(from.remoteAddress ? { remoteAddress: from.remoteAddress } : {}),
      ...(from.forwardedFor ? { headers: { 'x-forwarded-for': from.forwardedFor } } : {}),
    })
    .then((res) => res.statusCode)

t.test('without TRUST_PROXY, X-Forwarded-For cannot buy a client a new rate-limit budget', async (t) => {
  const app = await build(t, { config: { AUTH_RATE_LIMIT_MAX: 2 } })
  const statuses = []
  for (const forwardedFor of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4'])
    statuses.push(await login(app, { forwardedFor }))
  t.same(statuses, [401, 401, 429, 429], 'the TCP peer is the client, whatever the header says')
})

t.test('behind a trusted proxy, each forwarded client has its own budget', async (t) => {
  const app = await build(t, { config: { AUTH_RATE_LIMIT_MAX: 2, TRUST_PROXY: '127.0.0.1' } })
  const first = []
  for (let i = 0; i < 3; i++) first.push(await login(app, { forwardedFor: '203.0.113.1' }))
  t.same(first, [401, 401, 429], 'one client through the proxy is limited')
  t.equal(await login(app, { forwardedFor: '203.0.113.2' }), 401, 'another client behind the proxy is not')
  t.equal(
    await login(app, { forwardedFor: '198.51.100.9, 203.0.113.1' }),
    429,
    'only the proxy’s own entry counts',
  )

  // A client reaching the service directly (not through the listed proxy) cannot pick its address.
  const direct = []
  for (const forwardedFor of ['203.0.113.7', '203.0.113.8', '203.0.113.9'])
    direct.push(await login(app, { remoteAddress: '192.0.2.50', forwardedFor }))
  t.same(direct, [401, 401, 429])
})

t.test('TRUST_PROXY takes addresses and CIDR ranges, nothing else', async (t) => {
  t.equal(loadConfig({}).TRUST_PROXY, undefined)
  t.equal(loadConfig({ TRUST_PROXY: '10.0.0.0/8, ::1,loopback' }).TRUST_PROXY, '10.0.0.0/8, ::1,loopback')
  for (const bad of ['true', '*', '10.0.0.0/33', '300.1.1.1', '1', 'proxy.example.org', '10.0.0.1;rm'])
    t.throws(() => loadConfig({ TRUST_PROXY: bad }), ConfigError, bad)
})
