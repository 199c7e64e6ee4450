import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { openDatabase } from '../../src/infra/db/database.js'
import { cliDatabaseEnv, runCli } from '../helpers/cli.js'

const TOPICS = ['protein folding enzyme kinase', 'glacier ice sheet melt', 'compiler register allocation']
const works = Array.from({ length: 60 }, (_, i) => ({
  id: `W${i}`,
  title: `${TOPICS[i % 3]} study ${i}`,
  abstract: `We examine ${TOPICS[i % 3]} with method ${i % 5} and data set ${i % 7}.`,
  publication_year: 2015 + (i % 8),
  authorships: [
    { author: { id: `A${i % 20}`, display_name: `Author ${i % 20}` } },
    { author: { id: `A${(i + 3) % 20}`, display_name: `Author ${(i + 3) % 20}` } },
  ],
}))

t.test('profiles builds the missing profiles and hubness values, and only those', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'collabmatch-profiles-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'works.jsonl')
  writeFileSync(file, works.map((w) => JSON.stringify(w)).join('\n'))

  let env = await cliDatabaseEnv(t, dir, 'profiles')
  // No model: lexical vectors and profiles only.
  env = { ...env, MODELS_DIR: join(dir, 'no-models'), LOG_LEVEL: 'silent' }
  for (const args of [['import', file], ['embed']]) {
    const run = await runCli(args, env)
    t.equal(run.code, 0, run.code === 0 ? `${args[0]} succeeded` : run.stderr)
  }
  const open = () =>
    env['DATABASE_URL']
      ? openDatabase({ kind: 'postgres', url: env['DATABASE_URL'], poolMax: 1 })
      : openDatabase({ kind: 'pglite', dataDir: join(dir, 'data', 'pglite') })
  const snapshot = async () => {
    const database = await open()
    try {
      return await database.rows<{ table: string; id: number; value: string }>(sql`
        select 'profile' as table, researcher_id as id, centroid::text || group_centroid::text as value
          from researcher_lexical
        union all
        select 'hubness', researcher_id, round(hubness::numeric, 6)::text from researcher_hubness
        order by 1, 2`)
    } finally {
      await database.close()
    }
  }
  const before = await snapshot()
  t.equal(before.filter((r) => r.table === 'profile').length, 20, 'every author has a profile')
  t.equal(before.filter((r) => r.table === 'hubness').length, 20, 'and a hubness value')

  const database = await open()
  await database.rows(sql`delete from researcher_hubness where researcher_id in (
    select researcher_id from researcher_hubness order by researcher_id limit 7)`)
  await database.close()
  t.equal((await snapshot()).length, 33, 'seven hubness values gone')

  const run = await runCli(['profiles'], env)
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, /profiles complete in/)
  t.same(await snapshot(), before, 'the same values as the serving path computed, nothing else changed')
})
