import { resolve } from 'node:path'
import { loadConfig } from '../config/config.js'
import { type Database, openDatabase } from '../infra/db/database.js'

/** The database the server would use, migrated, for commands run beside it. */
export async function openConfiguredDatabase(): Promise<Database> {
  const config = loadConfig()
  const database = await openDatabase(
    config.DATABASE_URL
      ? { kind: 'postgres', url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX }
      : { kind: 'pglite', dataDir: resolve(config.DATA_DIR, 'pglite') },
  )
  await database.migrate()
  return database
}
