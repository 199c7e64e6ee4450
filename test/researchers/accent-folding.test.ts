import { sql } from 'drizzle-orm'
import t from 'tap'
import { researchers } from '../../db/schema/catalog.js'
import { nameSearch } from '../../src/infra/db/like.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'

const NAMES = ['José Núñez', 'Jose Nunez', 'Łukasz Öztürk', 'Ada Lovelace']

t.test('name search ignores accents, either way round', async (t) => {
  const database = await freshDatabase()
  const app = await build(t, { database })
  for (const [i, name] of NAMES.entries())
    await database.rows(sql`insert into researchers (external_id, name) values (${`F${i}`}, ${name})`)
  await database.rows(sql`insert into institutions (external_id, name) values ('I-zh', 'Universität Zürich')`)
  const names = async (path: string, q: string) =>
    ((await app.inject({ url: `${path}?q=${encodeURIComponent(q)}` })).json().items as { name: string }[])
      .map((r) => r.name)
      .sort()

  t.same(await names('/v1/researchers', 'nunez'), ['Jose Nunez', 'José Núñez'])
  t.same(await names('/v1/researchers', 'NÚÑEZ'), ['Jose Nunez', 'José Núñez'])
  t.same(await names('/v1/researchers', 'lukasz oz'), ['Łukasz Öztürk'])
  t.same(await names('/v1/researchers', 'O\u0308ztu\u0308rk'), ['Łukasz Öztürk'], 'a decomposed query too')
  t.same(await names('/v1/researchers', 'lovelace'), ['Ada Lovelace'])
  t.same(await names('/v1/researchers', 'nuñoz'), [], 'still a substring match, not a fuzzy one')
  t.same(await names('/v1/institutions', 'zurich'), ['Universität Zürich'])
})

t.test('EXPLAIN: the folded search uses the trigram index on the folded name', async (t) => {
  const database = await freshDatabase()
  const { matches } = nameSearch(researchers.name, 'nunez')
  const plan = await database.db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`)
    const result = (await tx.execute(
      sql`explain select id from ${researchers} where ${matches}`,
    )) as unknown as Record<string, string>[] | { rows: Record<string, string>[] }
    return (Array.isArray(result) ? result : result.rows).map((r) => Object.values(r)[0]).join('\n')
  })
  t.match(plan, /researchers_folded_name_trgm_idx/)
})
