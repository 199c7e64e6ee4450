import type { FastifyInstance } from 'fastify'
import { io } from 'socket.io-client'
import type { Test } from 'tap'
import { type AppConfig, buildApp } from '../../src/app.js'
import type { Clock } from '../../src/infra/clock.js'
import type { Database } from '../../src/infra/db/database.js'
import type { FollowersLookup } from '../../src/notifications/followers.js'
import type { ClientSocket } from '../../src/realtime/client.js'
import type { Ack } from '../../src/realtime/contract.js'
import { TEST_AUTH_SECRET } from './build.js'
import { freshDatabase } from './database.js'

export interface RealtimeApp {
  app: FastifyInstance
  database: Database
  url: string
}

/** An app on a fresh database, listening on a loopback port so real Socket.IO clients can connect. */
export async function buildListening(
  t: Test,
  options: { config?: Partial<AppConfig>; clock?: Clock; followers?: FollowersLookup } = {},
): Promise<RealtimeApp> {
  const database = await freshDatabase()
  const app = await buildApp({
    config: {
      LOG_LEVEL: 'silent',
      BODY_LIMIT_BYTES: 1024 * 1024,
      AUTH_SECRET: TEST_AUTH_SECRET,
      ...options.config,
    },
    database,
    logger: false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.followers ? { followers: options.followers } : {}),
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  t.teardown(() => app.close())
  return { app, database, url: `http://127.0.0.1:${address.port}` }
}

/** A raw client socket (a "tab"), connected; closed when the test ends. */
export async function connect(
  t: Test,
  url: string,
  auth: Record<string, unknown>,
  /** Runs before the connection is made, for listeners that must not miss the first packet. */
  before?: (socket: ClientSocket) => void,
): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  })
  before?.(socket)
  t.teardown(() => {
    socket.disconnect()
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
  return socket
}

/** The next `event` on the socket, or a rejection after `ms`. */
export function next<T = unknown>(socket: ClientSocket, event: string, ms = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ;(socket as unknown as { off(e: string, l: unknown): void }).off(event, listener)
      reject(new Error(`no ${event} within ${ms} ms`))
    }, ms)
    const listener = (payload: T) => {
      clearTimeout(timer)
      resolve(payload)
    }
    ;(socket as unknown as { once(e: string, l: unknown): void }).once(event, listener)
  })
}

/** Everything `event` brings until the test reads it. */
export function collect<T = unknown>(socket: ClientSocket, event: string): T[] {
  const seen: T[] = []
  ;(socket as unknown as { on(e: string, l: (p: T) => void): void }).on(event, (p) => seen.push(p))
  return seen
}

export async function ask<T = unknown>(
  socket: ClientSocket,
  event: string,
  payload: unknown,
): Promise<Ack<T>> {
  return (
    socket.timeout(5_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<T>> }
  ).emitWithAck(event, payload)
}

export async function waitFor(check: () => boolean | Promise<boolean>, ms = 5_000, what = 'condition') {
  const until = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
