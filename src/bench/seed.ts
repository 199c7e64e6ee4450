import { sql } from 'drizzle-orm'
import type { Database } from '../infra/db/database.js'

/** Benchmark data only: `count` accounts, each with a claimed record, made in two statements. */
export async function seedMembers(
  database: Database,
  count: number,
): Promise<{ accountId: number; researcherId: number }[]> {
  await database.rows(sql`
    insert into accounts (email, display_name, password_hash, role)
    select 'bench-' || g || '@example.test', 'Bench ' || g, 'x', 'researcher' from generate_series(1, ${count}) g`)
  await database.rows(sql`
    insert into researchers (external_id, name, claimed_by_account_id)
    select 'BENCH-' || a.id, a.display_name, a.id from accounts a where a.email like 'bench-%'`)
  return database.rows<{ accountId: number; researcherId: number }>(sql`
    select a.id as "accountId", r.id as "researcherId"
      from accounts a join researchers r on r.claimed_by_account_id = a.id
     where a.email like 'bench-%' order by a.id`)
}

export async function countInvitations(database: Database): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`select count(*)::int as n from invitations`)
  return row?.n ?? 0
}
