import { randomBytes } from 'node:crypto'
import { accounts, researchers } from '../../db/schema/index.js'
import type { Role, TokenService } from '../../src/infra/auth/tokens.js'
import type { Database } from '../../src/infra/db/database.js'

export interface Member {
  accountId: number
  /** The record this account claimed; null for an account without one. */
  researcherId: number | null
  /** The record's external id, so a test can import works by this author. */
  externalId: string | null
  name: string
  token: string
}

/**
 * Accounts and claimed records straight into the tables: the accounts/claims capability owns the
 * real workflow, these tests only need its outcome (researchers.claimed_by_account_id).
 */
export async function createMember(
  database: Database,
  tokens: TokenService,
  options: { name?: string; claimed?: boolean; role?: Role } = {},
): Promise<Member> {
  const tag = randomBytes(4).toString('hex')
  const name = options.name ?? `Researcher ${tag}`
  const role = options.role ?? 'researcher'
  const [account] = await database.db
    .insert(accounts)
    .values({ email: `${tag}@example.test`, displayName: name, passwordHash: 'x', role })
    .returning({ id: accounts.id })
  const accountId = account!.id
  let researcherId: number | null = null
  let externalId: string | null = null
  if (options.claimed !== false) {
    externalId = `T${tag}`
    const [record] = await database.db
      .insert(researchers)
      .values({ externalId, name, claimedByAccountId: accountId })
      .returning({ id: researchers.id })
    researcherId = record!.id
  }
  return {
    accountId,
    researcherId,
    externalId,
    name,
    token: tokens.issueAccessToken({ accountId, role }).token,
  }
}

/** A record nobody has claimed yet. */
export async function createUnclaimedRecord(database: Database, name = 'Unclaimed Author'): Promise<number> {
  const [record] = await database.db
    .insert(researchers)
    .values({ externalId: `U${randomBytes(4).toString('hex')}`, name })
    .returning({ id: researchers.id })
  return record!.id
}
