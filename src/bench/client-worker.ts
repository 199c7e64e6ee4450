import { io, type Socket } from 'socket.io-client'

// A child process rather than a worker thread: the clients' sockets count against their own
// open-file limit, not the server's.

export interface WorkerClient {
  token: string
  researcherId: number
}

export type ToWorker =
  | { type: 'init'; url: string; clients: WorkerClient[] }
  | { type: 'invite'; perSecond: number; seconds: number }
  | { type: 'arm-fanout' }
  | { type: 'close' }

export type FromWorker =
  | { type: 'connected'; count: number; failed: number; ms: number }
  | { type: 'invited'; sent: number; roundTrips: number[]; acks: number[]; refused: number; timedOut: number }
  | { type: 'fanout'; received: number; lastArrival: number }

const now = () => performance.timeOrigin + performance.now()
const post = (message: FromWorker) => process.send!(message)
const sockets: Socket[] = []
let url = ''
let clients: WorkerClient[] = []

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
  let refused = 0
  let timedOut = 0
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
          timedOut++
          resolve()
        }, 60_000)
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
            else refused++
          },
        )
      }),
    )
  }
  await Promise.all(pending)
  post({ type: 'invited', sent: total, roundTrips, acks, refused, timedOut })
}

function armFanout(): void {
  const expected = sockets.filter((s) => s.connected).length
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

process.on('message', (message: ToWorker) => {
  if (message.type === 'init') {
    url = message.url
    clients = message.clients
    void connectAll()
  } else if (message.type === 'invite') void invite(message.perSecond, message.seconds)
  else if (message.type === 'arm-fanout') armFanout()
  else {
    for (const socket of sockets) socket.disconnect()
    process.exit(0)
  }
})
