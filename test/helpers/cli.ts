import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import type { Test } from 'tap'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Runs the real CLI in its own process (a SIGKILL from `killWhen` is a real crash). */
export function runCli(args: string[], env: NodeJS.ProcessEnv, killWhen?: (stderr: string) => boolean) {
  return new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    (resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), ...args],
        {
          cwd: root,
          env: { ...process.env, ...env },
        },
      )
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

/**
 * The environment that points CLI processes at one database of their own: a new PostgreSQL
 * database under TEST_DATABASE_URL (dropped after the test), else PGlite files under `dir`.
 */
export async function cliDatabaseEnv(t: Test, dir: string, name: string): Promise<NodeJS.ProcessEnv> {
  const baseUrl = process.env['TEST_DATABASE_URL']
  if (!baseUrl) return { DATA_DIR: join(dir, 'data') }
  const database = `collabmatch_${name}_${process.pid}`
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists ${database} with (force)`)
  await admin.unsafe(`create database ${database}`)
  t.teardown(async () => {
    await admin.unsafe(`drop database if exists ${database} with (force)`)
    await admin.end()
  })
  const url = new URL(baseUrl)
  url.pathname = `/${database}`
  return { DATABASE_URL: url.toString() }
}
