import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import t from 'tap'
import { TEST_AUTH_SECRET } from '../helpers/build.js'
import { cliDatabaseEnv, runCli } from '../helpers/cli.js'

t.test('the import command fails loudly when nothing could be imported, and on bad arguments', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'collabmatch-import-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const env = { ...(await cliDatabaseEnv(t, dir, 'import_cmd')), AUTH_SECRET: TEST_AUTH_SECRET }
  const works = [1, 2].map((n) => JSON.stringify({ id: `W${n}`, title: `Work ${n}`, authorships: [] }))

  const gzipped = join(dir, 'works.jsonl.gz')
  writeFileSync(gzipped, gzipSync(`${works.join('\n')}\n`))
  const refused = await runCli(['import', gzipped], env)
  t.equal(refused.code, 1, 'every line rejected is a failure')
  t.match(refused.stderr, /every line was rejected; nothing was imported/)

  const plain = join(dir, 'works.jsonl')
  writeFileSync(plain, `${works.join('\n')}\nnot json\n`)
  const partly = await runCli(['import', plain], env)
  t.equal(partly.code, 0, 'a file with some bad lines imports the rest and succeeds')
  t.match(partly.stdout, /inserted 2, updated 0, unchanged 0, rejected 1/)

  const directory = await runCli(['import', dir], env)
  t.equal(directory.code, 2)
  t.match(directory.stderr, /not a file/)
  for (const size of ['1e3', '0x10', '2.5'])
    t.equal((await runCli(['import', plain, '--batch-size', size], env)).code, 2, `--batch-size ${size}`)
})
