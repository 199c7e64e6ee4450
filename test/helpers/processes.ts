import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import tap from 'tap'
import { type Database, openDatabase } from '../../src/infra/db/database.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** Whether a process with this pid still exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** A port nobody listens on right now (PORT=0 would hide which one the child took). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

export interface ServerProcess {
  url: string
  port: number
  child: ChildProcess
  /** The last lines the child wrote, for a failing test's message. */
  output(): string
  kill(signal: NodeJS.Signals): Promise<void>
}

/** `node --import tsx src/server.ts` with the given environment, resolved once it answers /health. */
export async function startServer(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  const chosen = port ?? (await freePort())
  const lines: string[] = []
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(chosen),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean))
    lines.splice(0, Math.max(0, lines.length - 40))
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  tap.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await exited
    }
  })
  const url = `http://127.0.0.1:${chosen}`
  const until = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${lines.join('\n')}`)
    try {
      if ((await fetch(`${url}/health`)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`server did not start:\n${lines.join('\n')}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    url,
    port: chosen,
    child,
    output: () => lines.join('\n'),
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill(signal)
      await exited
    },
  }
}

/**
 * A new PostgreSQL database, migrated, dropped when the test process ends. Several server processes
 * can share it, which PGlite cannot do; PostgreSQL always runs here, so both suite runs use it.
 */
export async function createSharedPostgres(): Promise<{ url: string; database: Database }> {
  const baseUrl = process.env['TEST_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres'
  const name = `collabmatch_nodes_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const url = new URL(baseUrl)
  url.pathname = `/${name}`
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolMax: 3 })
  await database.migrate()
  tap.teardown(async () => {
    await database.close()
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  })
  return { url: url.toString(), database }
}
