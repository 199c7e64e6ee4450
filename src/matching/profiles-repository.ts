import { sql } from 'drizzle-orm'
import { authorships, researchers } from '../../db/schema/catalog.js'
import { researcherRefreshQueue, workLexical } from '../../db/schema/embeddings.js'
import { researcherHubness, researcherLexical } from '../../db/schema/matching.js'
import type { Database } from '../infra/db/database.js'
import { countsAsExpertise } from '../researchers/settings-repository.js'
import { idList, knnRows } from './sql.js'

/** The index the hubness kNN runs on; bulk loads drop it (PROFILE_INDEXES) and build it after. */
const GROUP_INDEX = 'researcher_lexical_group_centroid_hnsw'

type ProfileRow = {
  researcherId: number
  centroid: string
  groupCentroid: string
  worksCount: number
  lastAuthorShare: number
}

export class ProfilesRepository {
  constructor(private readonly database: Database) {}

  /** Each work vector of the researchers, and whether they are the last of two or more authors on it. */
  async workVectorsOf(researcherIds: readonly number[]) {
    if (researcherIds.length === 0) return []
    return this.database.rows<{ researcherId: number; vector: string; last: boolean }>(sql`
      select a.researcher_id as "researcherId", l.vector::text as vector,
             (select count(*) > 1 and max(x.position) = a.position
                from ${authorships} x where x.work_id = a.work_id) as last
        from ${authorships} a join ${workLexical} l on l.work_id = a.work_id
       where a.researcher_id in (${idList(researcherIds)}) and ${countsAsExpertise('a')}`)
  }

  /** Profiles of researchers with no counted work left; co-authors' group centroids follow at refresh. */
  async dropProfiles(researcherIds: readonly number[]): Promise<void> {
    if (researcherIds.length === 0) return
    await this.database.db.execute(sql`
      delete from ${researcherLexical} where researcher_id in (${idList(researcherIds)})`)
  }

  /** Asks the embedding worker to recompute these dense centroids on its next pass. */
  async queueDenseCentroids(researcherIds: readonly number[]): Promise<void> {
    if (researcherIds.length === 0) return
    await this.database.db.execute(sql`
      insert into ${researcherRefreshQueue} (researcher_id)
      select id from ${researchers} where id in (${idList(researcherIds)})
      on conflict do nothing`)
  }

  async researchersOfWorks(workIds: readonly number[]): Promise<number[]> {
    if (workIds.length === 0) return []
    const rows = await this.database.rows<{ id: number }>(sql`
      select distinct researcher_id as id from ${authorships} where work_id in (${idList(workIds)})`)
    return rows.map((row) => row.id)
  }

  async coauthorPairs(researcherIds: readonly number[]) {
    if (researcherIds.length === 0) return []
    return this.database.rows<{ researcherId: number; coauthorId: number }>(sql`
      select distinct a.researcher_id as "researcherId", b.researcher_id as "coauthorId"
        from ${authorships} a join ${authorships} b on b.work_id = a.work_id and b.researcher_id <> a.researcher_id
       where a.researcher_id in (${idList(researcherIds)})`)
  }

  async centroidsOf(researcherIds: readonly number[]) {
    const out: { researcherId: number; centroid: string }[] = []
    for (let i = 0; i < researcherIds.length; i += 10_000) {
      const chunk = researcherIds.slice(i, i + 10_000)
      out.push(
        ...(await this.database.rows<{ researcherId: number; centroid: string }>(sql`
          select researcher_id as "researcherId", centroid::text as centroid
            from ${researcherLexical} where researcher_id in (${idList(chunk)})`)),
      )
    }
    return out
  }

  /** Own centroids only; a new row starts with its own centroid as the group one until that is computed. */
  storeCentroids(rows: Omit<ProfileRow, 'groupCentroid'>[]) {
    return this.upsert(
      rows.map((r) => ({ ...r, groupCentroid: r.centroid })),
      false,
    )
  }

  storeProfiles(rows: ProfileRow[]) {
    return this.upsert(rows, true)
  }

  /**
   * Without `updateGroup`, an existing row keeps its group centroid (and hubness). A new group
   * centroid drops the hubness: it is computed afterwards, once the neighbours' rows are written.
   */
  private async upsert(rows: ProfileRow[], updateGroup: boolean) {
    if (rows.length === 0) return
    if (updateGroup) await this.dropHubness(rows.map((r) => r.researcherId))
    await this.database.db
      .insert(researcherLexical)
      .values(
        rows.map((r) => ({
          researcherId: r.researcherId,
          centroid: sql`${r.centroid}::sparsevec` as unknown as string,
          groupCentroid: sql`${r.groupCentroid}::sparsevec` as unknown as string,
          worksCount: r.worksCount,
          lastAuthorShare: r.lastAuthorShare,
        })),
      )
      .onConflictDoUpdate({
        target: researcherLexical.researcherId,
        set: {
          centroid: sql`excluded.centroid`,
          ...(updateGroup ? { groupCentroid: sql`excluded.group_centroid` } : {}),
          worksCount: sql`excluded.works_count`,
          lastAuthorShare: sql`excluded.last_author_share`,
          computedAt: sql`now()`,
        },
      })
  }

  async storeGroupCentroids(rows: { researcherId: number; groupCentroid: string }[]) {
    if (rows.length === 0) return
    await this.dropHubness(rows.map((r) => r.researcherId))
    for (let i = 0; i < rows.length; i += 500) {
      const values = sql.join(
        rows.slice(i, i + 500).map((r) => sql`(${r.researcherId}::int, ${r.groupCentroid}::sparsevec)`),
        sql`, `,
      )
      await this.database.db.execute(sql`
        update ${researcherLexical} p set group_centroid = v.g, computed_at = now()
          from (values ${values}) as v(id, g) where p.researcher_id = v.id`)
    }
  }

  /** Researchers with works that have lexical vectors but no profile yet, in id order. */
  async researchersWithoutProfile(afterId: number, limit: number): Promise<number[]> {
    const rows = await this.database.rows<{ id: number }>(sql`
      select distinct a.researcher_id as id
        from ${authorships} a join ${workLexical} l on l.work_id = a.work_id
       where a.researcher_id > ${afterId}
         and not exists (select 1 from ${researcherLexical} p where p.researcher_id = a.researcher_id)
       order by a.researcher_id limit ${limit}`)
    return rows.map((row) => row.id)
  }

  async researchersWithProfile(afterId: number, limit: number): Promise<number[]> {
    const rows = await this.database.rows<{ id: number }>(sql`
      select researcher_id as id from ${researcherLexical}
       where researcher_id > ${afterId} order by researcher_id limit ${limit}`)
    return rows.map((row) => row.id)
  }

  /** Whether kNN searches over group centroids can use their HNSW index (bulk loads drop it). */
  async groupIndexReady(): Promise<boolean> {
    const [row] = await this.database.rows<{ ready: boolean }>(sql`
      select to_regclass(${GROUP_INDEX}) is not null as ready`)
    return row?.ready ?? false
  }

  private async dropHubness(researcherIds: readonly number[]) {
    await this.database.rows(sql`
      delete from ${researcherHubness} where researcher_id in (${idList(researcherIds)})`)
  }

  /**
   * Stores each researcher's hubness: the mean inner product of their group centroid with the
   * `k` nearest other group centroids. One statement per batch: a kNN per researcher through the
   * HNSW index (a correlated ORDER BY … LIMIT, rescanned per row). Without the index each kNN
   * would scan every profile.
   */
  async storeHubness(researcherIds: readonly number[], k: number): Promise<void> {
    if (researcherIds.length === 0) return
    await knnRows(
      this.database,
      k,
      sql`
      insert into ${researcherHubness} (researcher_id, hubness)
      select a.researcher_id,
             coalesce((select avg(n.similarity) from (
               select -(b.group_centroid <#> a.group_centroid) as similarity
                 from ${researcherLexical} b where b.researcher_id <> a.researcher_id
                order by b.group_centroid <#> a.group_centroid limit ${k}) n), 0)
        from ${researcherLexical} a where a.researcher_id in (${idList(researcherIds)})
      on conflict (researcher_id) do update set hubness = excluded.hubness`,
    )
  }

  /** Profiles whose hubness is not computed yet, in id order. */
  async researchersWithoutHubness(afterId: number, limit: number): Promise<number[]> {
    const rows = await this.database.rows<{ id: number }>(sql`
      select p.researcher_id as id from ${researcherLexical} p
       where p.researcher_id > ${afterId}
         and not exists (select 1 from ${researcherHubness} h where h.researcher_id = p.researcher_id)
       order by p.researcher_id limit ${limit}`)
    return rows.map((row) => row.id)
  }
}
