import { resolve } from 'node:path'
import { type Config, loadConfig } from '../config/config.js'
import { type Database, openDatabase } from '../infra/db/database.js'

/** The configured database (PostgreSQL when DATABASE_URL is set, else PGlite under DATA_DIR), migrated. */
export async function openConfiguredDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_MAX' | 'DATA_DIR'> = loadConfig(),
): Promise<Database> {
  const database = await openDatabase(
    config.DATABASE_URL
      ? { kind: 'postgres', url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX }
      : { kind: 'pglite', dataDir: resolve(config.DATA_DIR, 'pglite') },
  )
  await database.migrate()
  return database
}
