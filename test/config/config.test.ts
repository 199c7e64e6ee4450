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
