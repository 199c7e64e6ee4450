import { sql } from 'drizzle-orm'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loggerOptions } from '../../src/infra/http/logging.js'
import { TEST_AUTH_SECRET } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'

interface LogLine {
  msg?: string
  err?: { message?: string; cause?: { message?: string } }
}

t.test('a failed statement is logged without the values it ran with', async (t) => {
  const lines: string[] = []
  const database = await freshDatabase()
  const app = await buildApp({
    config: { LOG_LEVEL: 'info', BODY_LIMIT_BYTES: 1024 * 1024, AUTH_SECRET: TEST_AUTH_SECRET },
    database,
    logger: loggerOptions('info', { write: (line) => void lines.push(line) }),
  })
  t.teardown(() => app.close())
  const secret = 'scrypt$32768$8$1$c2VjcmV0LXNhbHQ$very-secret-password-hash'
  // A real statement failing in the database, as a lost connection or a bug would make it fail.
  app.get('/test/failing-query', async () =>
    database.db.execute(sql`select ${secret}::text as s, 1 / 0 as n`),
  )
  await app.ready()

  const res = await app.inject({
    url: '/test/failing-query',
    headers: { authorization: 'Bearer x.y' },
  })
  t.equal(res.statusCode, 401, 'a bad token is refused before anything runs')
  const failed = await app.inject({ url: '/test/failing-query' })
  t.equal(failed.statusCode, 500)
  t.same(failed.json(), { error: { code: 'INTERNAL', message: 'Internal server error' } }, 'no details')
  t.notMatch(failed.body, /select|division|scrypt/)

  const logged = lines.map((line) => JSON.parse(line) as LogLine)
  const entry = logged.find((line) => line.msg === 'request failed')
  t.ok(entry, 'the failure is logged')
  t.match(entry?.err?.message, /Failed query: select \$1::text as s, 1 \/ 0 as n/, 'the statement is kept')
  t.match(entry?.err?.message, /params: \[redacted\]/)
  t.match(entry?.err?.cause?.message, /division by zero/, "the database's reason is kept")
  t.notOk(lines.join('\n').includes(secret), 'the parameter appears nowhere in the log')
  t.notOk(lines.join('\n').includes('Bearer x.y'), 'nor the authorization header')
})
