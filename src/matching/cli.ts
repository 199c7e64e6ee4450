import { parseArgs } from 'node:util'
import { createServices } from '../app.js'
import { openConfiguredDatabase } from '../cli/database.js'
import { loadConfig } from '../config/config.js'

/**
 * `profiles` builds the matching profiles that are missing: researcher and group profiles, then
 * hubness values. A serving process keeps them current as works arrive; this is for what it never
 * saw, e.g. a database restored without them, or hubness after upgrading to the release that added
 * it. It only fills gaps, so it can be stopped and run again.
 */
export async function runProfiles(argv: string[]): Promise<void> {
  parseArgs({ args: argv, allowPositionals: false, options: {} })
  const config = loadConfig()
  const database = await openConfiguredDatabase(config)
  try {
    const services = createServices(database, config)
    const started = Date.now()
    await services.matchingProfiles.rebuildAll()
    process.stdout.write(`profiles complete in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
  } finally {
    await database.close()
  }
}
