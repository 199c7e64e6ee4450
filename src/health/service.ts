import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { migrationsFolder } from '../infra/db/paths.js'
import type { EmbedderStatus } from '../infra/embedder/embedder.js'
import type { HealthRepository } from './repository.js'

export interface Readiness {
  status: 'ready' | 'not_ready'
  database: { kind: string; reachable: boolean; migrationsApplied: number; migrationsExpected: number }
  /** Without a dense model the service still serves, ranking on lexical similarity. */
  embeddings: { dense: 'available' | 'unavailable'; lexical: 'available'; model: string; reason?: string }
}

const expectedMigrations = (): number =>
  (
    JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
      entries: unknown[]
    }
  ).entries.length

export class HealthService {
  private readonly expected = expectedMigrations()

  constructor(
    private readonly repository: HealthRepository,
    private readonly model: EmbedderStatus,
  ) {}

  async readiness(): Promise<Readiness> {
    let reachable = false
    let applied = 0
    try {
      applied = await this.repository.appliedMigrations()
      reachable = true
    } catch {
      // Unreachable, or reachable but never migrated: the report says which.
      reachable = await this.repository.ping()
    }
    const ready = reachable && applied >= this.expected
    return {
      status: ready ? 'ready' : 'not_ready',
      database: {
        kind: this.repository.kind,
        reachable,
        migrationsApplied: applied,
        migrationsExpected: this.expected,
      },
      embeddings: this.model.available
        ? { dense: 'available', lexical: 'available', model: this.model.modelId }
        : {
            dense: 'unavailable',
            lexical: 'available',
            model: this.model.modelId,
            reason: this.model.reason,
          },
    }
  }
}
