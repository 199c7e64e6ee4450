import { sql } from 'drizzle-orm'
import t from 'tap'
import type { Database } from '../../src/infra/db/database.js'
import { CandidatesRepository } from '../../src/matching/candidates-repository.js'
import { SuggestionDismissals } from '../../src/matching/dismissals.js'
import { DismissalsRepository } from '../../src/matching/dismissals-repository.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { signUp } from '../helpers/identity.js'
import { announcedAfterNewLinks, claimant, clock, seed, suggestionsOf } from './fixtures.js'

const url = (owner: number, candidate?: number) =>
  `/v1/researchers/${owner}/suggestions/dismissed${candidate === undefined ? '' : `/${candidate}`}`

async function dismissedRows(database: Database): Promise<number> {
  const rows = await database.rows<{ n: number }>(sql`select count(*)::int as n from dismissed_suggestions`)
  return rows[0]!.n
}

t.test('a dismissed candidate leaves every list until restored', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { clock, database })
  const ids = await seed(app)
  const [a, c] = [ids.get('A1')!, ids.get('A3')!]
  const owner = await claimant(app, a)
  const listed = async (query = '') =>
    (await suggestionsOf(t, app, a, owner, query)).map((s) => s.researcher.id)
  const before = await listed()
  t.equal(before[0], c, 'the candidate ranks first before')

  const put = await app.inject({ method: 'PUT', url: url(a, c), headers: owner })
  t.equal(put.statusCode, 200)
  t.same(put.json(), { researcherId: c, dismissed: true })
  const again = await app.inject({ method: 'PUT', url: url(a, c), headers: owner })
  t.same(again.json(), { researcherId: c, dismissed: true }, 'dismissing twice is the same')
  t.equal(await dismissedRows(database), 1)

  t.same(
    await listed(),
    before.filter((id) => id !== c),
    'the rest keep their order',
  )
  t.notOk((await listed('countries=DE')).includes(c), 'filtered lists leave it out too')
  t.notOk((await listed('includeCoauthors=true')).includes(c), 'and lists over another pool')

  const page = await app.inject({ url: url(a), headers: owner })
  t.equal(page.statusCode, 200)
  t.match(page.json(), {
    items: [{ researcherId: c, name: 'Cara Chaperone', institutionName: 'East College' }],
    page: { limit: 20, offset: 0, total: 1 },
  })
  t.ok(Date.parse(page.json().items[0].dismissedAt) > 0)

  const restored = await app.inject({ method: 'DELETE', url: url(a, c), headers: owner })
  t.same(restored.json(), { researcherId: c, dismissed: false })
  t.same(await listed(), before, 'restored, it is suggested where it ranks')
  t.equal((await app.inject({ method: 'DELETE', url: url(a, c), headers: owner })).statusCode, 200)
  t.equal(await dismissedRows(database), 0)
})

t.test('bad dismissals are 4xx and change nothing', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { clock, database })
  const ids = await seed(app)
  const [a, c] = [ids.get('A1')!, ids.get('A3')!]
  const owner = await claimant(app, a)
  const stranger = (await signUp(app, 'researcher', 'Stranger')).headers
  const cases: [string, 'PUT' | 'DELETE' | 'GET', string, Record<string, string>, number][] = [
    ['oneself', 'PUT', url(a, a), owner, 400],
    ['an unknown candidate', 'PUT', url(a, 999_999), owner, 404],
    ['an unknown record', 'PUT', url(999_999, c), owner, 404],
    ['a non-numeric id', 'PUT', `/v1/researchers/${a}/suggestions/dismissed/x`, owner, 400],
    ['someone else', 'PUT', url(a, c), stranger, 403],
    ['someone else restoring', 'DELETE', url(a, c), stranger, 403],
    ['someone else listing', 'GET', url(a), stranger, 403],
    ['an unclaimed record', 'PUT', url(c, a), owner, 403],
    ['a page too large', 'GET', `${url(a)}?limit=1000`, owner, 400],
  ]
  for (const [what, method, path, headers, status] of cases) {
    const res = await app.inject({ method, url: path, headers })
    t.equal(res.statusCode, status, what)
    t.type(res.json().error?.code, 'string', `${what}: a JSON error`)
  }
  t.equal(await dismissedRows(database), 0)
})

t.test('a released record starts without the last claimant’s dismissals', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { clock, database })
  const ids = await seed(app)
  const [a, c] = [ids.get('A1')!, ids.get('A3')!]
  const owner = await claimant(app, a)
  t.equal((await app.inject({ method: 'PUT', url: url(a, c), headers: owner })).statusCode, 200)
  const [claim] = (await app.inject({ url: '/v1/me/claims', headers: owner })).json().items
  const released = await app.inject({ method: 'POST', url: `/v1/claims/${claim.id}/release`, headers: owner })
  t.equal(released.statusCode, 200)
  t.equal(await dismissedRows(database), 0)
  const next = await claimant(app, a)
  t.equal((await suggestionsOf(t, app, a, next))[0]?.researcher.id, c, 'the next claimant sees them again')
})

t.test('a dismissed candidate is never announced as a new suggestion', async (t) => {
  const announced = (dismiss: boolean) =>
    announcedAfterNewLinks(
      t,
      () => build(t, { clock }),
      async (app, owner, ada, fay) => {
        if (dismiss)
          t.equal((await app.inject({ method: 'PUT', url: url(ada, fay), headers: owner })).statusCode, 200)
      },
    )
  const control = await announced(false)
  t.same(control.events, [control.fayId], 'without the dismissal she is announced')
  t.ok(control.listed)
  const dismissed = await announced(true)
  t.same(dismissed.events, [], 'dismissed, she is not')
  t.notOk(dismissed.listed)
})

t.test('dismissals stop at the cap, also when requests race for the last place', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { clock, database })
  const ids = await seed(app)
  const a = ids.get('A1')!
  await claimant(app, a)
  const [row] = await database.rows<{ accountId: number }>(
    sql`select claimed_by_account_id as "accountId" from researchers where id = ${a}`,
  )
  const principal = { accountId: row!.accountId, role: 'researcher' as const }
  const dismissals = new SuggestionDismissals(
    new DismissalsRepository(database),
    new CandidatesRepository(database),
    2,
  )
  const others = ['A2', 'A3', 'A4', 'A5', 'A6', 'A8'].map((x) => ids.get(x)!)
  const outcomes = await Promise.allSettled(others.map((id) => dismissals.dismiss(principal, a, id)))
  t.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 2, 'two fit')
  for (const o of outcomes.filter((o) => o.status === 'rejected'))
    t.match((o as PromiseRejectedResult).reason, { statusCode: 409, code: 'CONFLICT' })
  const stored = await new DismissalsRepository(database).ids(a)
  t.equal(stored.length, 2, 'and only two are stored')
  t.same(
    await dismissals.dismiss(principal, a, stored[0]!),
    { researcherId: stored[0], dismissed: true },
    'a repeat still answers',
  )
  await dismissals.restore(principal, a, stored[0]!)
  const freed = others.find((id) => !stored.includes(id))!
  t.same(
    await dismissals.dismiss(principal, a, freed),
    { researcherId: freed, dismissed: true },
    'a restored place is free',
  )
})
