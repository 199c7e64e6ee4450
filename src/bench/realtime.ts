/**
 * npm run bench:realtime -- [--clients=10000] [--rate=500] [--seconds=5] [--workers=1]
 *                           [--database-url=postgres://postgres@127.0.0.1:5432/postgres]
 *
 * One node (this process; PGlite in memory, or a scratch database created next to --database-url and
 * dropped afterwards) and simulated clients in child processes, loopback only:
 * 1. connects --clients sockets and reports how long that took and what it cost;
 * 2. sends invitations at --rate per second for --seconds and reports the round trip (sender's
 *    emit until the invitee's socket hears `invitation:received`) and the ack latency, p50 / p99;
 * 3. gives one researcher every client as a follower, imports a new work by them and reports how
 *    long until the last follower's socket had the `follow:work` notification.
 * Every socket is a file descriptor on each side: with a limit under ~10500, run `ulimit -n 65536` first.
 */

import { type ChildProcess, fork } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { buildApp } from '../app.js'
import { type Database, openDatabase } from '../infra/db/database.js'
import { openScratchPostgres } from '../infra/db/scratch.js'
import type { FollowersLookup } from '../notifications/followers.js'
import type { FromWorker, ToWorker, WorkerClient } from './client-worker.js'
import { countInvitations, seedMembers } from './seed.js'

const DEADLINE_MS = 10 * 60_000
const SECRET = 'benchmark-secret-benchmark-secret-0000'

function option(name: string, fallback: number): number {
  const found = process.argv.find((arg) => arg.startsWith(`--${name}=`))
  const value = found ? Number(found.split('=')[1]) : fallback
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`)
  return value
}

function textOption(name: string): string | undefined {
  return process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)
}

/** PGlite in memory, or a throw-away database on the given PostgreSQL server. */
async function scratchDatabase(baseUrl: string | undefined): Promise<Database> {
  return baseUrl
    ? openScratchPostgres(baseUrl, { prefix: 'collabmatch_bench', poolMax: 20 })
    : openDatabase({ kind: 'pglite' })
}

function openFileLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'))
    return Number(line?.split(/\s+/)[3]) || Number.POSITIVE_INFINITY
  } catch {
    return Number.POSITIVE_INFINITY
  }
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}
const ms = (value: number) => `${value.toFixed(1)} ms`
const now = () => performance.timeOrigin + performance.now()

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error('benchmark deadline reached')
    process.exit(2)
  }, DEADLINE_MS)
  deadline.unref()

  let clients = option('clients', 10_000)
  const rate = option('rate', 500)
  const seconds = option('seconds', 5)
  const workers = option('workers', 1)
  // The server's ends of the sockets live here; the clients' ends in their own processes.
  const fits = openFileLimit() - 500
  if (clients > fits) {
    console.log(`open-file limit allows ${fits} clients, not ${clients}: run \`ulimit -n 65536\` first`)
    clients = fits
  }

  const databaseUrl = textOption('database-url')
  const database = await scratchDatabase(databaseUrl)
  await database.migrate()
  // Follows belong to another capability; the benchmark's researcher is followed by every client.
  let followerIds: number[] = []
  const followers: FollowersLookup = {
    followersOf: async (ids) => new Map(ids.map((id) => [id, followerIds])),
  }
  const app = await buildApp({
    config: {
      LOG_LEVEL: 'warn',
      BODY_LIMIT_BYTES: 1024 * 1024,
      AUTH_SECRET: SECRET,
      REALTIME_INVITATIONS_PER_HOUR: 1_000_000,
      REALTIME_SOCKET_EVENTS_PER_SECOND: 1_000,
      REALTIME_SOCKET_BURST: 1_000,
    },
    database,
    logger: false,
    followers,
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`

  const seeded = await seedMembers(database, clients + 1)
  const author = seeded.pop()!
  followerIds = seeded.map((m) => m.accountId)
  const tokens = seeded.map((m) => ({
    token: app.services.tokens.issueAccessToken({ accountId: m.accountId, role: 'researcher' }).token,
    researcherId: m.researcherId,
  }))
  console.log(
    `node: ${url}, ${databaseUrl ? 'PostgreSQL' : 'PGlite in memory'}, ${clients} clients over ${workers} client process(es)`,
  )

  // Each worker gets an even slice, so invitation pairs (2k, 2k+1) stay inside one worker.
  const size = Math.ceil(clients / workers / 2) * 2
  const pool = Array.from({ length: workers }, (_, w) => {
    const slice: WorkerClient[] = tokens.slice(w * size, (w + 1) * size)
    const child = fork(new URL('./client-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'] })
    child.send({ type: 'init', url, clients: slice } satisfies ToWorker)
    return child
  })
  const replies = (type: FromWorker['type']) =>
    Promise.all(
      pool.map(
        (worker) =>
          new Promise<FromWorker>((resolve) => {
            const listener = (message: FromWorker) => {
              if (message.type !== type) return
              worker.off('message', listener)
              resolve(message)
            }
            ;(worker as ChildProcess).on('message', listener as (m: unknown) => void)
          }),
      ),
    )
  const send = (message: ToWorker) => {
    for (const worker of pool) worker.send(message)
  }

  const connectStarted = now()
  const connected = (await replies('connected')) as Extract<FromWorker, { type: 'connected' }>[]
  const connectedCount = connected.reduce((n, r) => n + r.count, 0)
  const memory = process.memoryUsage()
  console.log(
    `connect: ${connectedCount}/${clients} sockets in ${ms(now() - connectStarted)} ` +
      `(${connected.reduce((n, r) => n + r.failed, 0)} failed); process rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, ` +
      `heap ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB (server process)`,
  )

  send({ type: 'invite', perSecond: rate / workers, seconds })
  const invited = (await replies('invited')) as Extract<FromWorker, { type: 'invited' }>[]
  const roundTrips = invited.flatMap((r) => r.roundTrips)
  const acks = invited.flatMap((r) => r.acks)
  console.log(
    `invitations at ${rate}/s for ${seconds} s: ${roundTrips.length} delivered, ` +
      `${invited.reduce((n, r) => n + r.refused, 0)} refused, ${invited.reduce((n, r) => n + r.timedOut, 0)} ` +
      `timed out (60 s); round trip p50 ${ms(percentile(roundTrips, 50))}, ` +
      `p99 ${ms(percentile(roundTrips, 99))}, max ${ms(Math.max(...roundTrips))}; ` +
      `ack p50 ${ms(percentile(acks, 50))}, p99 ${ms(percentile(acks, 99))}`,
  )

  // The fan-out is timed on an idle node: wait until every invitation is stored.
  const sent = invited.reduce((n, r) => n + r.sent, 0)
  for (let i = 0; i < 600 && (await countInvitations(database)) < sent; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }

  send({ type: 'arm-fanout' })
  await new Promise((resolve) => setTimeout(resolve, 200))
  const startedFanout = now()
  await app.services.ingest.storeWorks([
    {
      externalId: 'BENCH-W1',
      doi: null,
      title: 'A result ten thousand people wait for',
      abstract: null,
      year: 2025,
      type: 'article',
      venue: null,
      authorships: [
        {
          position: 0,
          author: { externalId: `BENCH-${author.accountId}`, name: 'Bench author', orcid: null },
          institutions: [],
        },
      ],
      topics: [],
      contentHash: 'bench-w1',
    },
  ])
  const fanned = (await replies('fanout')) as Extract<FromWorker, { type: 'fanout' }>[]
  const received = fanned.reduce((n, r) => n + r.received, 0)
  const last = Math.max(...fanned.map((r) => r.lastArrival))
  console.log(
    `fan-out: new work by a researcher with ${followerIds.length} followers reached ${received} sockets; ` +
      `last one after ${ms(last - startedFanout)} (import, stored notification and push included)`,
  )

  send({ type: 'close' })
  await app.close()
  await database.close()
  clearTimeout(deadline)
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
