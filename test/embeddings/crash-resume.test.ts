import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { TEST_MODEL_ID } from '../../src/models/cli.js'
import { cliDatabaseEnv, runCli } from '../helpers/cli.js'
import { testModelsDir } from '../helpers/model.js'

const works = Array.from({ length: 120 }, (_, i) => ({
  id: `W${i}`,
  title: `Work ${i} on topic ${i % 7}`,
  abstract: `An abstract about subject ${i % 11} and method ${i % 5}.`,
  publication_year: 2000 + (i % 20),
  authorships: [{ author: { id: `A${i % 30}`, display_name: `Author ${i % 30}` } }],
}))

t.test('embed killed with SIGKILL mid-way resumes and loses or doubles nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'collabmatch-crash-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'works.jsonl')
  const { writeFileSync } = await import('node:fs')
  writeFileSync(file, works.map((w) => JSON.stringify(w)).join('\n'))

  let env = await cliDatabaseEnv(t, dir, 'crash')
  env = {
    ...env,
    MODELS_DIR: await testModelsDir(),
    EMBEDDING_MODEL: TEST_MODEL_ID,
    EMBEDDING_DTYPE: 'fp32',
    EMBEDDING_BATCH_SIZE: '8',
    // The killed run's lease on its last batch has to expire before the next run may take it over.
    EMBEDDING_LEASE_SECONDS: '2',
    LOG_LEVEL: 'silent',
  }

  const imported = await runCli(['import', file], env)
  t.equal(imported.code, 0, imported.code === 0 ? 'import succeeded' : imported.stderr)
  const killed = await runCli(['embed'], env, (stderr) => /\b(1[6-9]|[2-9]\d) embedded/.test(stderr))
  t.equal(killed.signal, 'SIGKILL', 'the first run was killed mid-way')
  t.notMatch(killed.stdout, /embedded \d+ works in/, 'it never reached its summary')

  const resumed = await runCli(['embed'], env)
  t.equal(resumed.code, 0, resumed.code === 0 ? 'the second run finished' : resumed.stderr)
  t.match(resumed.stdout, /dense 120\/120, lexical 120\/120, failed 0/)
})
