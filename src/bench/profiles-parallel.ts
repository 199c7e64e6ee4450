/**
 * Builds researcher profiles (researcher_lexical) for a bulk-loaded database with `rebuildAll`, split
 * over several processes by researcher id. rebuildAll is one process: at 500k works it spends most
 * of an hour parsing and averaging sparse vectors in JavaScript. Each part runs the same rebuildAll
 * on one range of researcher ids (consecutive ids keep its chunks of co-authors together: splitting
 * by id modulo the parts made each process four times slower): first every part builds centroids, then, once all
 * centroids are stored (group centroids read their co-authors'), every part builds group centroids.
 * The rows are the ones a single rebuildAll writes: every value is computed by the same code from
 * stored rows, and no value depends on the order of the researchers.
 *
 *   tsx src/bench/profiles-parallel.ts --database-url URL [--parts 3]
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { openDatabase } from '../infra/db/database.js'
import { DomainEvents } from '../infra/events.js'
import { MatchingProfiles } from '../matching/profiles.js'
import { ProfilesRepository } from '../matching/profiles-repository.js'

type Phase = 'centroids' | 'groups'

/** The researchers of one part; in the groups phase, one already built researcher stands for "something was missing". */
class PartRepository extends ProfilesRepository {
  private primed = false

  constructor(
    database: ConstructorParameters<typeof ProfilesRepository>[0],
    /** Ids in (low, high]: consecutive ids keep rebuildAll's chunks of co-authors together. */
    private readonly low: number,
    private readonly high: number,
    private readonly phase: Phase,
  ) {
    super(database)
  }

  private async mine(fetch: (after: number) => Promise<number[]>, after: number): Promise<number[]> {
    return (await fetch(Math.max(after, this.low))).filter((id) => id <= this.high)
  }

  override async researchersWithoutProfile(afterId: number, limit: number): Promise<number[]> {
    if (this.phase === 'centroids')
      return this.mine((after) => super.researchersWithoutProfile(after, limit), afterId)
    // rebuildAll builds group centroids only after building some centroid; rebuilding one that is
    // already stored writes the same values.
    if (this.primed) return []
    this.primed = true
    return (await this.mine((after) => super.researchersWithProfile(after, limit), afterId)).slice(0, 1)
  }

  override async researchersWithProfile(afterId: number, limit: number): Promise<number[]> {
    if (this.phase === 'centroids') return []
    return this.mine((after) => super.researchersWithProfile(after, limit), afterId)
  }
}

const args = new Map<string, string>()
const argv = process.argv.slice(2)
for (let i = 0; i < argv.length; i++)
  if (argv[i]!.startsWith('--')) args.set(argv[i]!.slice(2), argv[++i] ?? '')
const url = args.get('database-url')!
const parts = Number(args.get('parts') ?? 3)
const log = (m: string) => process.stderr.write(`[profiles ${new Date().toISOString().slice(11, 19)}] ${m}\n`)

if (args.has('part')) {
  const database = await openDatabase({ kind: 'postgres', url, poolMax: 2 })
  const repository = new PartRepository(
    database,
    Number(args.get('low')),
    Number(args.get('high')),
    args.get('phase') as Phase,
  )
  const warn = { warn: (o: unknown) => log(`warning ${JSON.stringify(o)}`) }
  await new MatchingProfiles(repository, new DomainEvents(), warn).rebuildAll()
  await database.close()
} else {
  const database = await openDatabase({ kind: 'postgres', url, poolMax: 1 })
  // Ranges with equally many researchers: identity values burnt by the import's upserts leave the
  // ids far from dense (1 to 2 million for 100k researchers at 500k works).
  const fractions = Array.from({ length: parts - 1 }, (_, i) => (i + 1) / parts)
  const [row] = await database.rows<{ low: number; cuts: number[] | null; high: number }>(sql`
    select coalesce(min(id), 0) - 1 as low, coalesce(max(id), 0) as high,
           percentile_disc(${`{${fractions.join(',')}}`}::float8[]) within group (order by id) as cuts
      from researchers`)
  await database.close()
  const bounds = [row!.low, ...(row!.cuts ?? fractions.map(() => row!.low)), row!.high]
  const bound = (part: number) => bounds[part]!
  for (const phase of ['centroids', 'groups'] as const) {
    log(`${phase} in ${parts} processes`)
    const children = Array.from({ length: parts }, (_, part) =>
      spawn(
        process.execPath,
        [
          ...process.execArgv,
          fileURLToPath(import.meta.url),
          ...['--database-url', url, '--phase', phase, '--part', String(part)],
          ...['--low', String(bound(part)), '--high', String(bound(part + 1))],
        ],
        { stdio: ['ignore', 'inherit', 'inherit'] },
      ),
    )
    const codes = await Promise.all(children.map(async (child) => (await once(child, 'exit'))[0]))
    if (codes.some((code) => code !== 0)) throw new Error(`a ${phase} part failed: ${codes.join(', ')}`)
  }
  log('done')
}
