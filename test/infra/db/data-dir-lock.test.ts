import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { DataDirInUseError, lockDataDir } from '../../../src/infra/db/data-dir-lock.js'
import { TEST_AUTH_SECRET } from '../../helpers/build.js'
import { runCli } from '../../helpers/cli.js'
import { startServer } from '../../helpers/processes.js'

const tempDir = (t: Test) => {
  const dir = mkdtempSync(join(tmpdir(), 'collabmatch-lock-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

t.test('a live holder keeps the directory; a gone one, or a reused pid, does not', async (t) => {
  const dir = tempDir(t)
  const lockFile = join(dir, 'collabmatch.pid')
  const other = spawn('sleep', ['30'])
  t.teardown(() => other.kill('SIGKILL'))
  writeFileSync(lockFile, `${other.pid}\n`)
  t.throws(() => lockDataDir(dir), DataDirInUseError, 'another live process holds it')
  t.throws(() => lockDataDir(dir), new RegExp(`in use by process ${other.pid}`))

  other.kill('SIGKILL')
  await new Promise((resolve) => other.once('exit', resolve))
  const release = lockDataDir(dir)
  t.equal(readFileSync(lockFile, 'utf8').trim(), String(process.pid), 'a dead holder’s lock is taken over')
  release()
  t.notOk(existsSync(lockFile), 'released on close')

  // After a restart in a container the new process often gets the old pid: that is no holder.
  writeFileSync(lockFile, `${process.pid}\n`)
  lockDataDir(dir)()
  writeFileSync(lockFile, 'garbage')
  lockDataDir(dir)()
  t.pass('a stale or unreadable lock is taken over')
})

t.test('a command on the data of a running server stops before touching it', async (t) => {
  const dir = tempDir(t)
  const env = { DATA_DIR: join(dir, 'data'), AUTH_SECRET: TEST_AUTH_SECRET, MODELS_DIR: join(dir, 'models') }
  const server = await startServer(env)
  const works = join(dir, 'works.jsonl')
  writeFileSync(works, `${JSON.stringify({ id: 'W1', title: 'One work', authorships: [] })}\n`)
  const run = await runCli(['import', works], env)
  t.equal(run.code, 1)
  t.match(run.stderr, new RegExp(`in use by process ${server.child.pid}`))
  t.notMatch(run.stderr, /at .*\.ts:\d+/, 'one line, no stack')
  const found = await fetch(`${server.url}/v1/works?limit=1`).then((r) => r.status)
  t.not(found, 500, 'the server goes on')

  await server.kill('SIGTERM')
  const after = await runCli(['import', works], env)
  t.equal(after.code, 0, `once it stopped, the import runs: ${after.stderr}`)
})
