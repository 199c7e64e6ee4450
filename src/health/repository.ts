import { sql } from 'drizzle-orm'
import type { Database } from '../infra/db/database.js'

export class HealthRepository {
  constructor(private readonly database: Database) {}

  async appliedMigrations(): Promise<number> {
    const [row] = await this.database.rows<{ applied: number }>(
      sql`select count(*)::int as applied from drizzle.__drizzle_migrations`,
    )
    return row?.applied ?? 0
  }

  async ping(): Promise<boolean> {
    return this.database
      .rows(sql`select 1`)
      .then(() => true)
      .catch(() => false)
  }

  get kind(): string {
    return this.database.kind
  }
}
