import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { vector } from '@electric-sql/pglite/vector'
import type { SQL } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as schema from '../../../db/schema/index.js'
import { lockDataDir } from './data-dir-lock.js'
import { migrationsFolder } from './paths.js'

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>
/** A transaction handle, so one repository's statements can run inside another's transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
/** Where a statement runs: the database itself or a transaction. */
export type Executor = Db | Tx
export type DatabaseKind = 'pglite' | 'postgres'

export interface Database {
  readonly kind: DatabaseKind
  readonly db: Db
  /** Raw SQL for what the query builder cannot say; rows come back as plain objects on both drivers. */
  rows<T>(query: SQL): Promise<T[]>
  migrate(): Promise<void>
  close(): Promise<void>
  /** PGlite only: the whole data directory as a tarball, e.g. to seed test databases quickly. */
  dumpDataDir?(): Promise<Blob>
}

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; poolMax?: number }
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob | File }

const pgliteExtensions = { vector, pg_trgm }
// Any constant works; it only has to be the same in every process migrating one database.
const MIGRATION_LOCK_KEY = 7_253_110_001

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.kind === 'postgres' ? openPostgres(options.url, options.poolMax ?? 10) : openPglite(options)
}

async function openPglite(options: { dataDir?: string; loadDataDir?: Blob | File }): Promise<Database> {
  let release = () => {}
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true })
    release = lockDataDir(options.dataDir)
  }
  let client: PGlite
  try {
    client = await PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      extensions: pgliteExtensions,
    })
  } catch (error) {
    release()
    throw error
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db
  return {
    kind: 'pglite',
    db,
    async rows<T>(query: SQL) {
      const result = (await db.execute(query)) as unknown as { rows: T[] }
      return result.rows
    },
    async migrate() {
      await migratePglite(db as never, { migrationsFolder })
    },
    async close() {
      try {
        await client.close()
      } finally {
        release()
      }
    },
    async dumpDataDir() {
      return client.dumpDataDir('gzip')
    },
  }
}

async function openPostgres(url: string, poolMax: number): Promise<Database> {
  // JIT off for the service's sessions: its statements read a few hundred rows, but nested-loop
  // estimates over vectors price some above jit_above_cost, and compiling then took ~95 ms of a
  // 12 ms statement (the suggestions' explanations). Startup parameters cost no round trip.
  const client = postgres(url, { max: poolMax, onnotice: () => {}, connection: { jit: 'off' } })
  const db = drizzlePostgres(client, { schema }) as unknown as Db
  return {
    kind: 'postgres',
    db,
    async rows<T>(query: SQL) {
      return [...((await db.execute(query)) as unknown as T[])]
    },
    async migrate() {
      // Several processes may start at once; only one may run the migrator.
      const lock = await client.reserve()
      try {
        await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`
        await migratePostgres(db as never, { migrationsFolder })
      } finally {
        await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`
        lock.release()
      }
    },
    async close() {
      await client.end({ timeout: 5 })
    },
  }
}
