import { parentPort, workerData } from 'node:worker_threads'
import { io, type Socket } from 'socket.io-client'

export interface WorkerClient {
  token: string
  researcherId: number
}

export type ToWorker =
  | { type: 'invite'; perSecond: number; seconds: number }
  | { type: 'arm-fanout'; expected: number }
  | { type: 'close' }

export type FromWorker =
  | { type: 'connected'; count: number; failed: number; ms: number }
  | { type: 'invited'; roundTrips: number[]; acks: number[]; errors: number }
  | { type: 'fanout'; received: number; lastArrival: number }

const now = () => performance.timeOrigin + performance.now()
const { url, clients } = workerData as { url: string; clients: WorkerClient[] }
const post = (message: FromWorker) => parentPort!.postMessage(message)
const sockets: Socket[] = []

async function connectAll(): Promise<void> {
  const started = now()
  let failed = 0
  const batch = 250
  for (let i = 0; i < clients.length; i += batch) {
    await Promise.all(
      clients.slice(i, i + batch).map(
        (client) =>
          new Promise<void>((resolve) => {
            const socket = io(url, {
              auth: { token: client.token },
              transports: ['websocket'],
              reconnection: false,
            })
            sockets.push(socket)
            socket.once('connect', () => resolve())
            socket.once('connect_error', () => {
              failed++
              resolve()
            })
          }),
      ),
    )
  }
  post({ type: 'connected', count: sockets.filter((s) => s.connected).length, failed, ms: now() - started })
}

/** Client 2k invites client 2k+1; the round trip ends when the invitee's socket hears about it. */
async function invite(perSecond: number, seconds: number): Promise<void> {
  const total = Math.min(Math.floor(perSecond * seconds), Math.floor(sockets.length / 2))
  const roundTrips: number[] = []
  const acks: number[] = []
  let errors = 0
  const pending: Promise<void>[] = []
  const started = now()
  for (let k = 0; k < total; k++) {
    const due = started + (k * 1000) / perSecond
    const wait = due - now()
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait))
    const sender = sockets[2 * k]!
    const invitee = sockets[2 * k + 1]!
    const sentAt = now()
    pending.push(
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          errors++
          resolve()
        }, 10_000)
        invitee.once('invitation:received', () => {
          clearTimeout(timer)
          roundTrips.push(now() - sentAt)
          resolve()
        })
        sender.emit(
          'invitation:send',
          { inviteeResearcherId: clients[2 * k + 1]!.researcherId, message: 'bench' },
          (answer: { ok: boolean }) => {
            if (answer.ok) acks.push(now() - sentAt)
            else errors++
          },
        )
      }),
    )
  }
  await Promise.all(pending)
  post({ type: 'invited', roundTrips, acks, errors })
}

function armFanout(expected: number): void {
  let received = 0
  let lastArrival = 0
  const done = () => post({ type: 'fanout', received, lastArrival })
  const timer = setTimeout(done, 30_000)
  for (const socket of sockets) {
    socket.once('follow:work', () => {
      received++
      lastArrival = now()
      if (received === expected) {
        clearTimeout(timer)
        done()
      }
    })
  }
}

parentPort!.on('message', (message: ToWorker) => {
  if (message.type === 'invite') void invite(message.perSecond, message.seconds)
  else if (message.type === 'arm-fanout') armFanout(message.expected)
  else {
    for (const socket of sockets) socket.disconnect()
    process.exit(0)
  }
})
void connectAll()
