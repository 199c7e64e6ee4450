import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import t from 'tap'
import { TEST_MODEL_ID } from '../../src/models/cli.js'
import { testModelsDir } from '../helpers/model.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const cli = join(root, 'src', 'cli', 'main.ts')

/** Runs the real CLI in its own process, so a SIGKILL is a real crash. */
function runCli(args: string[], env: NodeJS.ProcessEnv, killWhen?: (stderr: string) => boolean) {
  return new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    (resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
        cwd: root,
        env: { ...process.env, ...env },
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d) => (stdout += d))
      child.stderr.on('data', (d) => {
        stderr += d
        if (killWhen?.(stderr)) child.kill('SIGKILL')
      })
      child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }))
    },
  )
}

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

  const baseUrl = process.env['TEST_DATABASE_URL']
  let env: NodeJS.ProcessEnv = { DATA_DIR: join(dir, 'data') }
  let admin: postgres.Sql | undefined
  if (baseUrl) {
    const name = `collabmatch_crash_${process.pid}`
    admin = postgres(baseUrl, { max: 1, onnotice: () => {} })
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.unsafe(`create database ${name}`)
    const url = new URL(baseUrl)
    url.pathname = `/${name}`
    env = { DATABASE_URL: url.toString() }
    t.teardown(async () => {
      await admin!.unsafe(`drop database if exists ${name} with (force)`)
      await admin!.end()
    })
  }
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
