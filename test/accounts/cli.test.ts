import t from 'tap'
import { runAdmin } from '../../src/accounts/cli.js'
import type { Database } from '../../src/infra/db/database.js'
import { build, TEST_AUTH_SECRET } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'

/** The CLI closes its database; the shared test database must stay open. */
const borrowed = (database: Database): Database => ({ ...database, close: async () => {} })

async function admin(database: Database, argv: string[], stdin: string[] = []) {
  let out = ''
  await runAdmin(argv, {
    openDatabase: async () => borrowed(database),
    stdin: (async function* () {
      yield* stdin
    })(),
    stdout: { write: (text: string) => (out += text) },
    authSecret: TEST_AUTH_SECRET,
  })
  return out
}

t.test('admin create makes the first admin from a password on stdin', async (t) => {
  const database = await freshDatabase()
  const out = await admin(
    database,
    ['create', '--email', 'Root@Example.org', '--password-stdin'],
    ['a very long ', 'password\n'],
  )
  t.match(out, /created admin account 1 \(root@example.org\)/)
  const app = await build(t, { database })
  const login = await app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: 'root@example.org', password: 'a very long password' },
  })
  t.equal(login.statusCode, 200, 'the trailing newline is not part of the password')
  t.equal(login.json().account.role, 'admin')

  await t.rejects(
    admin(database, ['create', '--email', 'root@example.org', '--password-stdin'], ['another password']),
    {
      name: 'UsageError',
      message: /already exists/,
    },
  )
})

t.test('admin promote upgrades an existing account', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { database })
  await app.inject({
    method: 'POST',
    url: '/v1/auth/register',
    payload: { email: 'ann@example.org', password: 'a long enough password', displayName: 'Ann' },
  })
  t.match(await admin(database, ['promote', '--email', 'ann@example.org']), /is now an admin/)
  const me = await app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: 'ann@example.org', password: 'a long enough password' },
  })
  t.equal(me.json().account.role, 'admin')
  await t.rejects(admin(database, ['promote', '--email', 'nobody@example.org']), { name: 'UsageError' })
})

t.test('usage mistakes are UsageErrors and touch nothing', async (t) => {
  const database = await freshDatabase()
  for (const [argv, stdin] of [
    [['create', '--email', 'a@example.org'], ['password password']],
    [['create', '--password-stdin'], ['password password']],
    [['create', '--email', 'a@example.org', '--password-stdin'], ['short']],
    [['delete', '--email', 'a@example.org'], []],
    [['create', '--email', 'x@', '--password-stdin'], ['password password']],
    [['create', '--email', 'a@example', '--password-stdin'], ['password password']],
    [[], []],
  ] as const) {
    await t.rejects(admin(database, [...argv], [...stdin]), { name: 'UsageError' }, argv.join(' '))
  }
  const app = await build(t, { database })
  const login = await app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: 'a@example.org', password: 'password password' },
  })
  t.equal(login.statusCode, 401)
})
