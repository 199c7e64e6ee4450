import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config/config.js'

t.test('defaults give a working development setup', async (t) => {
  const config = loadConfig({})
  t.equal(config.PORT, 3000)
  t.equal(config.DATA_DIR, './data')
  t.equal(config.DATABASE_URL, undefined)
  t.ok(config.AUTH_SECRET.length >= 32)
})

t.test('values are converted and checked', async (t) => {
  t.equal(loadConfig({ PORT: '8080' }).PORT, 8080)
  t.throws(() => loadConfig({ PORT: 'eighty' }), ConfigError)
  t.throws(() => loadConfig({ PORT: '70000' }), /PORT/)
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL is not one of the allowed values/)
  t.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/)
  for (const [key, bad] of <[string, string][]>[
    ['PORT', '3000.5'],
    ['PORT', 'true'],
    ['DATABASE_POOL_MAX', 'true'],
    ['PORT', '0x10'],
    ['REALTIME_STRONG_SUGGESTION_SCORE', '1e1'],
  ])
    t.throws(
      () => loadConfig({ [key!]: bad }),
      new RegExp(`${key} must be a (whole )?number`),
      `${key}=${bad}`,
    )
  t.equal(loadConfig({ REALTIME_STRONG_SUGGESTION_SCORE: '2.5' }).REALTIME_STRONG_SUGGESTION_SCORE, 2.5)
})

t.test('timers and lifetimes have ceilings, so no setting overflows a timer or a date', async (t) => {
  // Above 2^31 ms Node clamps a timer to 1 ms (the sweep ran without pause), and a lifetime of
  // 1e20 s made every invitation's expiry an invalid date (a 500 on each send).
  for (const [key, bad] of <[string, string][]>[
    ['REALTIME_INVITATION_SWEEP_SECONDS', '3000000'],
    ['REALTIME_INVITATION_TTL_SECONDS', '100000000000000000000'],
    ['REALTIME_SOCKET_EVENTS_PER_SECOND', '1000000000'],
  ])
    t.throws(() => loadConfig({ [key]: bad }), new RegExp(key), key)
  t.equal(
    loadConfig({ REALTIME_INVITATION_SWEEP_SECONDS: '86400' }).REALTIME_INVITATION_SWEEP_SECONDS,
    86_400,
  )
})

t.test('the embedding length limit defaults to 256 word pieces and must be a sane integer', async (t) => {
  t.equal(loadConfig({}).EMBEDDING_MAX_TOKENS, 256)
  t.equal(loadConfig({ EMBEDDING_MAX_TOKENS: '128' }).EMBEDDING_MAX_TOKENS, 128)
  for (const bad of ['0', '8', '100000', '12.5', 'long'])
    t.throws(() => loadConfig({ EMBEDDING_MAX_TOKENS: bad }), /EMBEDDING_MAX_TOKENS/, bad)
})

t.test('production refuses to start without an auth secret', async (t) => {
  t.throws(() => loadConfig({ NODE_ENV: 'production' }), /AUTH_SECRET/)
  t.equal(loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32) }).AUTH_SECRET, 'x'.repeat(32))
})
