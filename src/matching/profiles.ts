import type { FastifyBaseLogger } from 'fastify'
import type { DomainEvents } from '../infra/events.js'
import type { ProfilesRepository } from './profiles-repository.js'
import {
  type Buckets,
  bucketsLiteral,
  centroidOf,
  groupCentroidOf,
  parseSparsevec,
} from './sparse-profile.js'

const CHUNK = 1_000

/**
 * Neighbours a researcher's hubness averages over. Collab-linkpred ranked alike with 5, 10 and 30
 * (README "Collaborator suggestions").
 */
export const HUBNESS_NEIGHBOURS = 10

/** Researchers per hubness statement: each runs one kNN per researcher, a few ms apiece. */
const HUBNESS_BATCH = 200

/**
 * Keeps researcher_lexical in step with work vectors. When the embedding worker stores vectors, the
 * authors of those works get new centroids, and they and their co-authors new group centroids;
 * their cached suggestions become stale. Refreshes run one at a time, in the background of the
 * event, and readers wait for the current one (`settled`) so they never see half a refresh.
 */
export class MatchingProfiles {
  private chain: Promise<void> = Promise.resolve()
  /** Works whose vectors were stored since the queued refresh was scheduled. */
  private readonly pendingWorks = new Set<number>()
  private readonly listeners: ((researcherIds: number[]) => Promise<void>)[] = []

  constructor(
    private readonly repository: ProfilesRepository,
    events: DomainEvents,
    private readonly log: Pick<FastifyBaseLogger, 'warn'>,
  ) {
    events.on('vectors:stored', ({ workIds }) => {
      // Batches that arrive while a refresh runs join one pending refresh. Refreshing per batch
      // rewrote every author once per batch: a bulk load of 100k works touched nearly all 20k
      // researchers in each of its 20 batches and took hours instead of minutes.
      const queued = this.pendingWorks.size > 0
      for (const id of workIds) this.pendingWorks.add(id)
      if (!queued) this.enqueue(() => this.refreshPending())
    })
    // Which works count as a researcher's expertise follows their claimant's exclusions, which
    // a release or an account deletion clears.
    events.on('expertise:changed', ({ researcherIds }) => this.refreshExpertise(researcherIds))
    events.on('claim:decided', ({ researcherId, status }) => {
      if (status === 'released') this.refreshExpertise([researcherId])
    })
    events.on('account:deleted', ({ releasedResearcherIds }) => this.refreshExpertise(releasedResearcherIds))
  }

  /** Lexical profiles now, dense centroids with the embedding worker's next centroid pass. */
  private refreshExpertise(researcherIds: number[]) {
    if (researcherIds.length === 0) return
    this.enqueue(async () => {
      await this.repository.queueDenseCentroids(researcherIds)
      await this.refresh(researcherIds)
    })
  }

  private async refreshPending() {
    const workIds = [...this.pendingWorks]
    this.pendingWorks.clear()
    const authors = new Set<number>()
    for (let i = 0; i < workIds.length; i += CHUNK * 5)
      for (const id of await this.repository.researchersOfWorks(workIds.slice(i, i + CHUNK * 5)))
        authors.add(id)
    await this.refresh([...authors].sort((a, b) => a - b))
  }

  /** Called with every researcher whose profile or group profile changed. */
  onRefreshed(listener: (researcherIds: number[]) => Promise<void>) {
    this.listeners.push(listener)
  }

  settled(): Promise<void> {
    return this.chain
  }

  private enqueue(task: () => Promise<void>) {
    this.chain = this.chain.then(task).catch((error: unknown) => {
      this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'profile refresh failed')
    })
  }

  /**
   * New centroids for `researcherIds`, new group centroids for them and their co-authors, then
   * the hubness of all of those. Each researcher's profile is written once: every write
   * re-inserts into both HNSW indexes, which is what a refresh costs most (hubness has a table of
   * its own for that reason).
   */
  async refresh(researcherIds: readonly number[]): Promise<void> {
    const fresh = new Map<number, { centroid: Buckets; worksCount: number; lastAuthorShare: number }>()
    for (let i = 0; i < researcherIds.length; i += CHUNK)
      for (const [id, c] of await this.centroids(researcherIds.slice(i, i + CHUNK))) fresh.set(id, c)
    // No work counts any more (all excluded): no profile, rather than the one from before.
    await this.repository.dropProfiles(researcherIds.filter((id) => !fresh.has(id)))
    const touched = new Set<number>(fresh.keys())
    for (let i = 0; i < researcherIds.length; i += CHUNK)
      for (const pair of await this.repository.coauthorPairs(researcherIds.slice(i, i + CHUNK)))
        touched.add(pair.coauthorId)
    const all = [...touched].sort((a, b) => a - b)
    for (let i = 0; i < all.length; i += CHUNK) {
      const chunk = all.slice(i, i + CHUNK)
      const groups = await this.groupCentroids(chunk, fresh)
      await this.repository.storeProfiles(
        chunk
          .filter((id) => fresh.has(id) && groups.has(id))
          .map((id) => ({
            researcherId: id,
            centroid: bucketsLiteral(fresh.get(id)!.centroid),
            groupCentroid: bucketsLiteral(groups.get(id)!),
            worksCount: fresh.get(id)!.worksCount,
            lastAuthorShare: fresh.get(id)!.lastAuthorShare,
          })),
      )
      await this.repository.storeGroupCentroids(
        chunk
          .filter((id) => !fresh.has(id) && groups.has(id))
          .map((id) => ({ researcherId: id, groupCentroid: bucketsLiteral(groups.get(id)!) })),
      )
    }
    await this.storeHubness(all)
    for (const listener of this.listeners) await listener(all)
  }

  /**
   * Hubness of the researchers whose group centroid was just written. Only theirs: a new group
   * centroid also moves the hubness of researchers it is among the nearest of, but finding them
   * would cost a reverse kNN, and one profile among ten neighbours moves a mean little. They catch
   * up at their own next refresh. Without the group index (a bulk load) the values stay missing for
   * `completeHubness`, as every kNN would scan every profile.
   */
  private async storeHubness(ids: readonly number[]) {
    if (ids.length === 0 || !(await this.repository.groupIndexReady())) return
    await this.storeHubnessInLanes(ids, 1)
  }

  /** Hubness of `ids`, HUBNESS_BATCH per statement, `lanes` statements at a time. */
  private async storeHubnessInLanes(ids: readonly number[], lanes: number) {
    const batches: number[][] = []
    for (let i = 0; i < ids.length; i += HUBNESS_BATCH) batches.push(ids.slice(i, i + HUBNESS_BATCH))
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        for (let i = lane; i < batches.length; i += lanes)
          await this.repository.storeHubness(batches[i]!, HUBNESS_NEIGHBOURS)
      }),
    )
  }

  /**
   * Computes every hubness still missing: after a bulk load once the profile indexes are built
   * again (see `withoutIndexes`), and for profiles written before the table existed. Two
   * statements at once, on separate connections: each is a string of kNN searches (~4 ms apiece
   * at 15k researchers), CPU-bound in the database, and nothing else runs during a bulk load.
   */
  async completeHubness(): Promise<void> {
    await this.settled()
    if (!(await this.repository.groupIndexReady())) return
    let after = 0
    for (;;) {
      const ids = await this.repository.researchersWithoutHubness(after, CHUNK)
      if (ids.length === 0) break
      await this.storeHubnessInLanes(ids, 2)
      after = ids.at(-1)!
    }
  }

  /**
   * Builds every missing profile, then every group profile, then every missing hubness (only if
   * the group index exists; otherwise call `completeHubness` once it does): for bulk loads,
   * evaluations and benchmarks.
   */
  async rebuildAll(): Promise<void> {
    await this.settled()
    let after = 0
    let built = 0
    for (;;) {
      const ids = await this.repository.researchersWithoutProfile(after, CHUNK * 5)
      if (ids.length === 0) break
      for (let i = 0; i < ids.length; i += CHUNK) await this.storeCentroids(ids.slice(i, i + CHUNK))
      after = ids.at(-1)!
      built += ids.length
    }
    // Nothing was missing: the group profiles are as current as the event-driven refreshes made them.
    if (built > 0) {
      after = 0
      for (;;) {
        const ids = await this.repository.researchersWithProfile(after, CHUNK)
        if (ids.length === 0) break
        await this.storeGroupCentroids(ids)
        after = ids.at(-1)!
      }
    }
    await this.completeHubness()
  }

  private async centroids(ids: readonly number[]) {
    const byResearcher = new Map<number, { vectors: Buckets[]; last: number }>()
    for (const row of await this.repository.workVectorsOf(ids)) {
      const entry = byResearcher.get(row.researcherId) ?? { vectors: [], last: 0 }
      entry.vectors.push(parseSparsevec(row.vector))
      if (row.last) entry.last++
      byResearcher.set(row.researcherId, entry)
    }
    return new Map(
      [...byResearcher].map(([id, { vectors, last }]) => [
        id,
        {
          centroid: centroidOf(vectors),
          worksCount: vectors.length,
          lastAuthorShare: last / vectors.length,
        },
      ]),
    )
  }

  private async storeCentroids(ids: readonly number[]) {
    await this.repository.storeCentroids(
      [...(await this.centroids(ids))].map(([researcherId, c]) => ({
        researcherId,
        centroid: bucketsLiteral(c.centroid),
        worksCount: c.worksCount,
        lastAuthorShare: c.lastAuthorShare,
      })),
    )
  }

  private async storeGroupCentroids(ids: readonly number[]) {
    const groups = await this.groupCentroids(ids, new Map())
    await this.repository.storeGroupCentroids(
      [...groups].map(([researcherId, g]) => ({ researcherId, groupCentroid: bucketsLiteral(g) })),
    )
  }

  /** Group centroids of `ids`, taking centroids from `fresh` first and the database otherwise. */
  private async groupCentroids(ids: readonly number[], fresh: Map<number, { centroid: Buckets }>) {
    const pairs = await this.repository.coauthorPairs(ids)
    const coauthors = new Map<number, number[]>()
    for (const { researcherId, coauthorId } of pairs) {
      const list = coauthors.get(researcherId) ?? []
      list.push(coauthorId)
      coauthors.set(researcherId, list)
    }
    const needed = new Set<number>(ids)
    for (const { coauthorId } of pairs) needed.add(coauthorId)
    const centroids = new Map<number, Buckets>()
    for (const [id, c] of fresh) if (needed.has(id)) centroids.set(id, c.centroid)
    const fromDb = [...needed].filter((id) => !centroids.has(id))
    for (const row of await this.repository.centroidsOf(fromDb))
      centroids.set(row.researcherId, parseSparsevec(row.centroid))
    const out = new Map<number, Buckets>()
    for (const id of ids) {
      const own = centroids.get(id)
      if (!own) continue
      const theirs = (coauthors.get(id) ?? []).map((c) => centroids.get(c)).filter((c): c is Buckets => !!c)
      out.set(id, groupCentroidOf(own, theirs))
    }
    return out
  }
}
