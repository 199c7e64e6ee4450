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
 * Keeps researcher_lexical in step with work vectors. When the embedding worker stores vectors, the
 * authors of those works get new centroids, and they and their co-authors new group centroids;
 * their cached suggestions become stale. Refreshes run one at a time, in the background of the
 * event, and readers wait for the current one (`settled`) so they never see half a refresh.
 */
export class MatchingProfiles {
  private chain: Promise<void> = Promise.resolve()
  private readonly listeners: ((researcherIds: number[]) => Promise<void>)[] = []

  constructor(
    private readonly repository: ProfilesRepository,
    events: DomainEvents,
    private readonly log: Pick<FastifyBaseLogger, 'warn'>,
  ) {
    events.on('vectors:stored', ({ workIds }) => {
      this.enqueue(async () => {
        const authors = await this.repository.researchersOfWorks(workIds)
        await this.refresh(authors)
      })
    })
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

  /** New centroids for `researcherIds`, new group centroids for them and their co-authors. */
  async refresh(researcherIds: readonly number[]): Promise<void> {
    const touched = new Set<number>()
    for (let i = 0; i < researcherIds.length; i += CHUNK) {
      const chunk = researcherIds.slice(i, i + CHUNK)
      await this.storeCentroids(chunk)
      for (const id of chunk) touched.add(id)
      for (const pair of await this.repository.coauthorPairs(chunk)) touched.add(pair.coauthorId)
    }
    const all = [...touched].sort((a, b) => a - b)
    for (let i = 0; i < all.length; i += CHUNK) await this.storeGroupCentroids(all.slice(i, i + CHUNK))
    for (const listener of this.listeners) await listener(all)
  }

  /** Builds every missing profile, then every group profile: for bulk loads, evaluations and benchmarks. */
  async rebuildAll(): Promise<void> {
    await this.settled()
    let after = 0
    for (;;) {
      const ids = await this.repository.researchersWithoutProfile(after, CHUNK * 5)
      if (ids.length === 0) break
      for (let i = 0; i < ids.length; i += CHUNK) await this.storeCentroids(ids.slice(i, i + CHUNK))
      after = ids.at(-1)!
    }
    after = 0
    for (;;) {
      const ids = await this.repository.researchersWithProfile(after, CHUNK)
      if (ids.length === 0) break
      await this.storeGroupCentroids(ids)
      after = ids.at(-1)!
    }
  }

  private async storeCentroids(ids: readonly number[]) {
    const byResearcher = new Map<number, Buckets[]>()
    for (const row of await this.repository.workVectorsOf(ids)) {
      const list = byResearcher.get(row.researcherId) ?? []
      list.push(parseSparsevec(row.vector))
      byResearcher.set(row.researcherId, list)
    }
    await this.repository.storeCentroids(
      [...byResearcher].map(([researcherId, vectors]) => ({
        researcherId,
        centroid: bucketsLiteral(centroidOf(vectors)),
        worksCount: vectors.length,
      })),
    )
  }

  private async storeGroupCentroids(ids: readonly number[]) {
    const pairs = await this.repository.coauthorPairs(ids)
    const coauthors = new Map<number, number[]>()
    for (const { researcherId, coauthorId } of pairs) {
      const list = coauthors.get(researcherId) ?? []
      list.push(coauthorId)
      coauthors.set(researcherId, list)
    }
    const needed = new Set<number>(ids)
    for (const { coauthorId } of pairs) needed.add(coauthorId)
    const centroids = new Map(
      (await this.repository.centroidsOf([...needed])).map((row) => [
        row.researcherId,
        parseSparsevec(row.centroid),
      ]),
    )
    const rows: { researcherId: number; groupCentroid: string }[] = []
    for (const id of ids) {
      const own = centroids.get(id)
      if (!own) continue
      const theirs = (coauthors.get(id) ?? []).map((c) => centroids.get(c)).filter((c): c is Buckets => !!c)
      rows.push({ researcherId: id, groupCentroid: bucketsLiteral(groupCentroidOf(own, theirs)) })
    }
    await this.repository.storeGroupCentroids(rows)
  }
}
