import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import tap from 'tap'
import { type Database, openDatabase } from '../../src/infra/db/database.js'
import { migrationsFolder } from '../../src/infra/db/paths.js'
import { openScratchPostgres } from '../../src/infra/db/scratch.js'

let shared: Promise<Database> | undefined

/**
 * One migrated database per test process (PGlite in memory, or a new PostgreSQL database when
 * TEST_DATABASE_URL is set), emptied before every test: each test starts from a fresh database
 * without paying for initdb and migrations each time.
 */
export async function freshDatabase(): Promise<Database> {
  shared ??= createTestDatabase()
  const database = await shared
  await truncateAll(database)
  return database
}

/** A second, independent database, for tests that need two. Closed and dropped with the process. */
export async function createTestDatabase(): Promise<Database> {
  const baseUrl = process.env['TEST_DATABASE_URL']
  if (!baseUrl) {
    const database = await openDatabase({ kind: 'pglite', loadDataDir: await migratedPgliteImage() })
    await database.migrate()
    tap.teardown(() => database.close())
    return database
  }
  const database = await openScratchPostgres(baseUrl, { prefix: 'collabmatch_test', poolMax: 5 })
  await database.migrate()
  tap.teardown(() => database.close())
  return database
}

async function truncateAll(database: Database): Promise<void> {
  const tables = await database.rows<{ name: string }>(
    sql`select quote_ident(tablename) as name from pg_tables where schemaname = 'public'`,
  )
  if (tables.length === 0) return
  const truncate = sql.raw(`truncate ${tables.map((t) => t.name).join(', ')} restart identity cascade`)
  // The previous test's app may still be finishing after-commit work (notifications, profile
  // refreshes) on PostgreSQL; a truncate caught in that crossfire is chosen as the deadlock victim.
  for (let attempt = 1; ; attempt++) {
    try {
      await database.rows(truncate)
      return
    } catch (error) {
      if (!isDeadlock(error) || attempt >= 5) throw error
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt))
    }
  }
}

/**
 * initdb plus migrations costs PGlite seconds per process; a data directory image made once per
 * migration set and shared through the temp folder costs a fraction of that.
 */
export async function migratedPgliteImage(): Promise<Blob> {
  const hash = createHash('sha256')
  for (const file of readdirSync(migrationsFolder).sort()) {
    if (file.endsWith('.sql')) hash.update(file).update(readFileSync(join(migrationsFolder, file)))
  }
  const path = join(tmpdir(), `collabmatch-pglite-${hash.digest('hex').slice(0, 16)}.tar.gz`)
  if (existsSync(path)) return new Blob([readFileSync(path)])
  const database = await openDatabase({ kind: 'pglite' })
  await database.migrate()
  const image = await database.dumpDataDir!()
  await database.close()
  const partial = `${path}.${process.pid}`
  writeFileSync(partial, Buffer.from(await image.arrayBuffer()))
  renameSync(partial, path)
  return image
}

/** drizzle wraps the driver's error; PostgreSQL's code for a deadlock victim is 40P01. */
function isDeadlock(error: unknown): boolean {
  const code = (e: unknown) => (e as { code?: unknown } | undefined)?.code
  return code(error) === '40P01' || code((error as { cause?: unknown }).cause) === '40P01'
}
