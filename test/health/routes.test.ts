import t from 'tap'
import { build } from '../helpers/build.js'

t.test('health and readiness', async (t) => {
  const app = await build(t)
  const health = await app.inject({ url: '/health' })
  t.same(health.json(), { status: 'ok' })
  const ready = await app.inject({ url: '/ready' })
  t.equal(ready.statusCode, 200)
  t.match(ready.json(), { status: 'ready', database: { reachable: true } })
  t.equal(ready.json().database.migrationsApplied, ready.json().database.migrationsExpected)
})

t.test('OpenAPI is generated from the route schemas', async (t) => {
  const app = await build(t)
  const spec = (await app.inject({ url: '/docs/json' })).json()
  t.equal(spec.openapi, '3.1.0')
  for (const path of [
    '/v1/researchers/{id}',
    '/v1/researchers/{id}/works',
    '/v1/researchers',
    '/v1/works/{id}',
  ]) {
    t.ok(spec.paths[path], path)
  }
  t.ok(spec.paths['/v1/researchers/{id}'].get.responses['404'], 'error codes are documented')
})
