import { sql } from 'drizzle-orm'
import type { Database } from '../../src/infra/db/database.js'
import type { FollowersLookup } from '../../src/notifications/followers.js'

/**
 * Follows belong to the accounts capability (another branch); the realtime fan-out only sees them
 * through FollowersLookup. This stand-in keeps them in a test-only table of the test database.
 */
export class TableFollowers implements FollowersLookup {
  constructor(private readonly database: Database) {}

  async ready(): Promise<this> {
    await this.database.rows(sql`
      create table if not exists test_follows (
        follower_account_id integer not null,
        researcher_id integer not null,
        primary key (researcher_id, follower_account_id))`)
    return this
  }

  async follow(followerAccountId: number, researcherId: number): Promise<void> {
    await this.database.rows(sql`
      insert into test_follows values (${followerAccountId}, ${researcherId}) on conflict do nothing`)
  }

  /** Many follows in one statement, for the benchmark. */
  async followMany(followerAccountIds: readonly number[], researcherId: number): Promise<void> {
    await this.database.rows(sql`
      insert into test_follows
      select unnest(${`{${followerAccountIds.join(',')}}`}::int[]), ${researcherId} on conflict do nothing`)
  }

  async followersOf(researcherIds: readonly number[]): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>()
    if (researcherIds.length === 0) return out
    const rows = await this.database.rows<{ researcherId: number; accountId: number }>(sql`
      select researcher_id as "researcherId", follower_account_id as "accountId" from test_follows
       where researcher_id = any(${`{${researcherIds.join(',')}}`}::int[]) order by 1, 2`)
    for (const row of rows) out.set(row.researcherId, [...(out.get(row.researcherId) ?? []), row.accountId])
    return out
  }
}
