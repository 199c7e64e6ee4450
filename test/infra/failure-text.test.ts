import t from 'tap'
import { ConfigError } from '../../src/config/config.js'
import { failureText } from '../../src/infra/failure-text.js'

t.test("a failed statement is reported by the database's reason, its text cut short", async (t) => {
  const reason = new Error('cannot execute CREATE SCHEMA in a read-only transaction')
  const params = 'x'.repeat(500_000)
  const failed = new Error(`Failed query: insert into works values ($1)\nparams: ${params}`, {
    cause: reason,
  })
  const text = failureText(failed)
  t.match(text, /caused by: cannot execute CREATE SCHEMA in a read-only transaction/)
  t.match(text, /^Error: Failed query: insert into works/)
  t.ok(text.length < 1_000, `short enough to read (${text.length} characters)`)
})

t.test('mistakes a person fixes are one line; anything else keeps its stack', async (t) => {
  t.equal(
    failureText(new ConfigError('Invalid configuration: PORT must be a whole number')),
    'Invalid configuration: PORT must be a whole number',
  )
  t.match(failureText(new TypeError('x is not a function')), /TypeError: x is not a function\n\s+at /)
  t.equal(failureText('plain'), 'plain')
})
