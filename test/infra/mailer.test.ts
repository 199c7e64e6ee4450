import t from 'tap'
import { LoggingMailer } from '../../src/infra/mailer.js'

const capture = () => {
  const lines: { obj: Record<string, unknown>; msg: string }[] = []
  return { lines, log: { info: (obj: Record<string, unknown>, msg: string) => lines.push({ obj, msg }) } }
}

t.test('the default mailer logs the address; the code only outside production', async (t) => {
  const production = capture()
  await new LoggingMailer(production.log as never, false).sendClaimCode({
    to: 'a@uni.edu',
    code: '123456',
    researcherName: 'A',
  })
  t.equal(production.lines[0]?.msg, 'would send code to a@uni.edu')
  t.notOk(JSON.stringify(production.lines).includes('123456'), 'no code in production logs')

  const development = capture()
  await new LoggingMailer(development.log as never, true).sendClaimCode({
    to: 'a@uni.edu',
    code: '123456',
    researcherName: 'A',
  })
  t.equal(development.lines[0]?.obj['code'], '123456')
})

t.test('a password reset is logged with its token only outside production', async (t) => {
  const message = { to: 'a@uni.edu', token: 'secret-reset-token', displayName: 'A', expiresAt: new Date() }
  const production = capture()
  await new LoggingMailer(production.log as never, false).sendPasswordReset(message)
  t.equal(production.lines[0]?.msg, 'would send a password reset to a@uni.edu')
  t.notOk(JSON.stringify(production.lines).includes('secret-reset-token'), 'no token in production logs')
  const development = capture()
  await new LoggingMailer(development.log as never, true).sendPasswordReset(message)
  t.equal(development.lines[0]?.obj['resetToken'], 'secret-reset-token')
})
