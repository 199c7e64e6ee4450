import { sql } from 'drizzle-orm'
import {
  authorships,
  blocks,
  claims,
  conversationMembers,
  dismissedSuggestions,
  distinctResearchers,
  follows,
  invitations,
  recordReports,
  researcherMerges,
  researchers,
  researcherVerifications,
} from '../../db/schema/index.js'
import type { Database, Tx } from '../infra/db/database.js'
import { txRows } from '../infra/db/sql-rows.js'
import { isSuspended } from './suspended.js'

interface LockedRecord {
  id: number
  name: string
  externalId: string
  orcid: string | null
  claimedByAccountId: number | null
  pendingClaim: boolean
  suspended: boolean
  history: boolean
}

export type MergeOutcome =
  | { kind: 'missing'; researcherId: number }
  | { kind: 'notHolder' | 'claimed' | 'suspended' | 'notSameOrcid' | 'history'; researcherId: number }
  | {
      kind: 'merged'
      researcher: { id: number; name: string }
      duplicate: { id: number; name: string; externalId: string }
      movedWorks: number
      sharedWorks: number
    }

/**
 * Who merges: an operator, or the claimant of the survivor, who may fold in only records that carry
 * the survivor's ORCID (the one link the catalogue gives that they are the same person).
 */
export type Merger = { accountId: number; as: 'operator' | 'claimant' }

export interface MergeRow {
  researcherId: number
  researcherName: string
  mergedResearcherId: number
  externalId: string
  mergedByAccountId: number | null
  mergedAt: Date
}

export class MergesRepository {
  constructor(private readonly database: Database) {}

  /**
   * Folds the duplicate into the survivor in one transaction, under both records' row locks (taken
   * in id order, as claims and suspensions take them one at a time). What is about the person moves:
   * authorships (the co-author edges follow through their triggers), follows, reports, past claims,
   * others' dismissals and blocks of them, an operator's vouching. The duplicate's external id then
   * names the survivor, and the duplicate row goes with what was only its own (profiles, vectors,
   * its stored suggestions). The survivor's profile is rebuilt by the caller's event.
   */
  async merge(survivorId: number, duplicateId: number, by: Merger): Promise<MergeOutcome> {
    return this.database.db.transaction(async (tx) => {
      const locked = await lockBoth(tx, survivorId, duplicateId)
      for (const id of [survivorId, duplicateId])
        if (!locked.has(id)) return { kind: 'missing', researcherId: id }
      const survivor = locked.get(survivorId)!
      const duplicate = locked.get(duplicateId)!
      // Read under the lock: a release or takeover that committed first is seen here.
      if (by.as === 'claimant' && survivor.claimedByAccountId !== by.accountId)
        return { kind: 'notHolder', researcherId: survivorId }
      // A claimed duplicate is someone's account's record: the operator settles the claim first.
      if (duplicate.claimedByAccountId !== null || duplicate.pendingClaim)
        return { kind: 'claimed', researcherId: duplicateId }
      for (const r of [survivor, duplicate]) if (r.suspended) return { kind: 'suspended', researcherId: r.id }
      if (by.as === 'claimant' && (survivor.orcid === null || survivor.orcid !== duplicate.orcid))
        return { kind: 'notSameOrcid', researcherId: duplicateId }
      // Invitations and conversations are between two people's accounts; rerouting them is not ours.
      if (duplicate.history) return { kind: 'history', researcherId: duplicateId }

      const moved = await txRows<{ workId: number }>(
        tx,
        sql`update ${authorships} a set researcher_id = ${survivorId}
             where a.researcher_id = ${duplicateId}
               and not exists (select 1 from ${authorships} s
                                where s.work_id = a.work_id and s.researcher_id = ${survivorId})
            returning a.work_id as "workId"`,
      )
      const shared = await txRows<{ workId: number }>(
        tx,
        sql`delete from ${authorships} where researcher_id = ${duplicateId} returning work_id as "workId"`,
      )
      await tx.execute(sql`
        insert into ${follows} (follower_account_id, researcher_id, created_at)
        select follower_account_id, ${survivorId}, created_at from ${follows} where researcher_id = ${duplicateId}
        on conflict do nothing`)
      await tx.execute(sql`
        update ${recordReports} r set researcher_id = ${survivorId}
         where r.researcher_id = ${duplicateId}
           and not exists (select 1 from ${recordReports} s
                            where s.researcher_id = ${survivorId} and s.reporter_account_id = r.reporter_account_id)`)
      // Only settled claims are left (a live one refused the merge): the accounts' history stays.
      await tx.execute(
        sql`update ${claims} set researcher_id = ${survivorId} where researcher_id = ${duplicateId}`,
      )
      await tx.execute(sql`
        insert into ${dismissedSuggestions} (researcher_id, dismissed_researcher_id, dismissed_at)
        select researcher_id, ${survivorId}, dismissed_at from ${dismissedSuggestions}
         where dismissed_researcher_id = ${duplicateId} and researcher_id <> ${survivorId}
        on conflict do nothing`)
      await tx.execute(sql`
        insert into ${blocks} (blocker_researcher_id, blocked_researcher_id, created_at)
        select blocker_researcher_id, ${survivorId}, created_at from ${blocks}
         where blocked_researcher_id = ${duplicateId} and blocker_researcher_id <> ${survivorId}
        on conflict do nothing`)
      // Who an operator found to be someone else than the duplicate is someone else than the survivor.
      await tx.execute(sql`
        insert into ${distinctResearchers} (low_id, high_id, marked_by_account_id, created_at)
        select least(${survivorId}::int, m.other), greatest(${survivorId}::int, m.other), m.marked_by_account_id, m.created_at
          from (select case when low_id = ${duplicateId} then high_id else low_id end as other,
                       marked_by_account_id, created_at
                  from ${distinctResearchers} where ${duplicateId} in (low_id, high_id)) m
         where m.other <> ${survivorId}
        on conflict do nothing`)
      await tx.execute(sql`
        insert into ${researcherVerifications} (researcher_id, verified_by_account_id, created_at)
        select ${survivorId}, verified_by_account_id, created_at from ${researcherVerifications}
         where researcher_id = ${duplicateId}
        on conflict do nothing`)
      // The survivor keeps its name; what it lacks comes from the duplicate, and the newer affiliation wins.
      const newerAffiliation = sql`d.institution_id is not null and (s.institution_id is null
        or coalesce(d.institution_year, -1) > coalesce(s.institution_year, -1))`
      await tx.execute(sql`
        update ${researchers} s set
          orcid = coalesce(s.orcid, d.orcid),
          external_ids = d.external_ids || s.external_ids,
          institution_id = case when ${newerAffiliation} then d.institution_id else s.institution_id end,
          institution_year = case when ${newerAffiliation} then d.institution_year else s.institution_year end,
          updated_at = now()
          from ${researchers} d
         where s.id = ${survivorId} and d.id = ${duplicateId}`)
      await tx.execute(sql`
        update ${researcherMerges} set researcher_id = ${survivorId} where researcher_id = ${duplicateId}`)
      await tx.execute(sql`
        insert into ${researcherMerges} (external_id, researcher_id, merged_researcher_id, merged_by_account_id)
        values (${duplicate.externalId}, ${survivorId}, ${duplicateId}, ${by.accountId})`)
      await tx.execute(sql`delete from ${researchers} where id = ${duplicateId}`)
      return {
        kind: 'merged',
        researcher: { id: survivor.id, name: survivor.name },
        duplicate: { id: duplicate.id, name: duplicate.name, externalId: duplicate.externalId },
        movedWorks: moved.length,
        sharedWorks: shared.length,
      }
    })
  }

  async merges(limit: number, offset: number): Promise<{ items: MergeRow[]; total: number }> {
    const [items, [total]] = await Promise.all([
      this.database.rows<MergeRow>(sql`
        select m.researcher_id as "researcherId", r.name as "researcherName",
               m.merged_researcher_id as "mergedResearcherId", m.external_id as "externalId",
               m.merged_by_account_id as "mergedByAccountId", m.created_at as "mergedAt"
          from ${researcherMerges} m join ${researchers} r on r.id = m.researcher_id
         order by m.created_at desc, m.merged_researcher_id desc
         limit ${limit} offset ${offset}`),
      this.database.rows<{ n: number }>(sql`select count(*)::int as n from ${researcherMerges}`),
    ])
    return { items: items.map((m) => ({ ...m, mergedAt: new Date(m.mergedAt) })), total: total?.n ?? 0 }
  }
}

/**
 * Locks both records, then reads their state. Two statements on purpose: a statement that waits
 * for a row lock still reads the rest of the database as it was when it began, so a claim that held
 * the lock and committed a pending claim meanwhile would go unseen (and then be moved along).
 */
async function lockBoth(tx: Tx, a: number, b: number): Promise<Map<number, LockedRecord>> {
  await tx.execute(sql`select id from ${researchers} where id in (${a}, ${b}) order by id for update`)
  const rows = await txRows<LockedRecord>(
    tx,
    sql`select r.id, r.name, r.external_id as "externalId", r.orcid,
               r.claimed_by_account_id as "claimedByAccountId",
               exists (select 1 from ${claims} c where c.researcher_id = r.id and c.status = 'pending') as "pendingClaim",
               ${isSuspended(sql`r.id`)} as suspended,
               exists (select 1 from ${invitations} i
                        where i.sender_researcher_id = r.id or i.invitee_researcher_id = r.id)
                 or exists (select 1 from ${conversationMembers} m where m.researcher_id = r.id) as history
          from ${researchers} r where r.id in (${a}, ${b})`,
  )
  return new Map(rows.map((r) => [r.id, r]))
}
