import type { DomainEvents } from '../infra/events.js'
import { type NormalizedWork, parseOpenAlexWork } from './openalex.js'
import type { IngestRepository } from './repository.js'

export interface ImportSummary {
  inserted: number
  updated: number
  unchanged: number
  rejected: number
  rejections: Rejection[]
}

export interface Rejection {
  /** 1-based line of a file, or 0-based index of a pushed batch. */
  at: number
  reason: string
}

export class InvalidBatchError extends Error {
  override name = 'InvalidBatchError'
  constructor(readonly rejections: Rejection[]) {
    super(`${rejections.length} work(s) in the batch are invalid`)
  }
}

export const emptySummary = (): ImportSummary => ({
  inserted: 0,
  updated: 0,
  unchanged: 0,
  rejected: 0,
  rejections: [],
})

export class IngestService {
  constructor(
    private readonly repository: IngestRepository,
    private readonly events: DomainEvents,
  ) {}

  /** Writes normalised works; listeners hear about new and changed ones only after they are committed. */
  async storeWorks(batch: NormalizedWork[]): Promise<Omit<ImportSummary, 'rejected' | 'rejections'>> {
    if (batch.length === 0) return { inserted: 0, updated: 0, unchanged: 0 }
    const outcome = await this.repository.upsertBatch(batch)
    const workIds = [...outcome.inserted, ...outcome.updated]
    if (workIds.length > 0 && outcome.outboxId !== null)
      this.events.emit('works:changed', { workIds, newWorkIds: outcome.inserted, outboxId: outcome.outboxId })
    return {
      inserted: outcome.inserted.length,
      updated: outcome.updated.length,
      unchanged: outcome.unchanged,
    }
  }

  /** A pushed batch is all or nothing: one invalid work rejects the batch and nothing is written. */
  async importBatch(raw: unknown[]): Promise<ImportSummary> {
    const works: NormalizedWork[] = []
    const rejections: Rejection[] = []
    // One id twice in a batch says two things about one work: which is meant is the sender's to say.
    const firstAt = new Map<string, number>()
    for (const [index, item] of raw.entries()) {
      const parsed = parseOpenAlexWork(item)
      const earlier = parsed.ok ? firstAt.get(parsed.work.externalId) : undefined
      if (!parsed.ok) rejections.push({ at: index, reason: parsed.reason })
      else if (earlier !== undefined)
        rejections.push({ at: index, reason: `the same work id as item ${earlier}` })
      else {
        firstAt.set(parsed.work.externalId, index)
        works.push(parsed.work)
      }
    }
    if (rejections.length > 0) throw new InvalidBatchError(rejections)
    return { ...(await this.storeWorks(works)), rejected: 0, rejections: [] }
  }
}
