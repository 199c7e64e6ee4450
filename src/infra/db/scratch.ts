import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { type Database, openDatabase } from './database.js'

/**
 * A new, uniquely named database on the server of `baseUrl`, dropped again when it is closed: for
 * tests, evaluations and benchmarks that must not share state with anything else on that server.
 */
export async function openScratchPostgres(
  baseUrl: string,
  options: { prefix: string; poolMax: number },
): Promise<Database> {
  const name = `${options.prefix}_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const url = new URL(baseUrl)
  url.pathname = `/${name}`
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolMax: options.poolMax })
  return {
    ...database,
    async close() {
      await database.close()
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}
