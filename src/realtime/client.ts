import { randomUUID } from 'node:crypto'
import { io, type Socket } from 'socket.io-client'
import type {
  Ack,
  ClientToServerEvents,
  MessageView,
  NotificationView,
  SentMessage,
  ServerToClientEvents,
} from './contract.js'

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>

const NOTIFICATION_EVENTS = [
  'invitation:received',
  'invitation:updated',
  'follow:work',
  'follow:follower',
  'claim:decided',
  'suggestion:new',
  'conversation:closed',
] as const satisfies readonly NotificationView['type'][]

export interface RealtimeClientOptions {
  url: string
  token: string
  /** Where a previous session stopped; everything after it is fetched on connect. */
  lastNotificationId?: number
  ackTimeoutMs?: number
}

/**
 * The reference client for the resume protocol (used by the tests and the benchmark):
 * - notifications: on every (re)connect, page through `notifications:sync` from the last id seen,
 *   holding live pushes back until the sync is done; then anything with an id at or below the last
 *   one is a duplicate. Ids commit in order, so nothing can appear behind the cursor later.
 * - messages: per conversation, seq numbers have no holes, so a jump means something was missed
 *   and `conversation:sync` fills it; anything at or below the last seq is a duplicate.
 * - sending: one clientMessageId per message, retried until acknowledged; the server stores it once.
 */
export class RealtimeClient {
  readonly socket: ClientSocket
  lastNotificationId: number
  readonly notifications: NotificationView[] = []
  private readonly conversations = new Map<number, { lastSeq: number; messages: MessageView[] }>()
  private syncingNotifications = false
  private heldBack: NotificationView[] = []
  private readonly syncingConversations = new Set<number>()
  /** Conversations that saw a push during their sync: the sync goes round once more. */
  private readonly dirty = new Set<number>()
  private readonly listeners = {
    notification: [] as ((n: NotificationView) => void)[],
    message: [] as ((m: MessageView) => void)[],
  }
  private readonly ackTimeoutMs: number

  constructor(options: RealtimeClientOptions) {
    this.lastNotificationId = options.lastNotificationId ?? 0
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5_000
    this.socket = io(options.url, {
      auth: { token: options.token },
      transports: ['websocket'],
      reconnectionDelay: 100,
      reconnectionDelayMax: 1_000,
    })
    for (const event of NOTIFICATION_EVENTS) {
      this.socket.on(event, (n: NotificationView) => this.onLiveNotification(n))
    }
    this.socket.on('message:new', (m) => this.onLiveMessage(m))
    this.socket.on('connect', () => void this.resync())
  }

  onNotification(listener: (n: NotificationView) => void): void {
    this.listeners.notification.push(listener)
  }

  onMessage(listener: (m: MessageView) => void): void {
    this.listeners.message.push(listener)
  }

  messages(conversationId: number): MessageView[] {
    return this.conversations.get(conversationId)?.messages ?? []
  }

  /** Starts tracking a conversation (e.g. after an invitation was accepted) and fetches its history. */
  follow(conversationId: number): Promise<void> {
    if (!this.conversations.has(conversationId))
      this.conversations.set(conversationId, { lastSeq: 0, messages: [] })
    return this.syncConversation(conversationId)
  }

  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve()
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve())
      this.socket.once('connect_error', reject)
    })
  }

  close(): void {
    this.socket.disconnect()
  }

  /** A new access token: renews the open session (`auth:refresh`) and is used for reconnects. */
  async renew(token: string): Promise<Ack<unknown>> {
    this.socket.auth = { token }
    if (!this.socket.connected) return { ok: true, data: null }
    return this.call('auth:refresh', { token })
  }

  /** Resolves once the server has stored the message; retries across disconnects with the same id. */
  async send(
    conversationId: number,
    body: string,
    clientMessageId: string = randomUUID(),
  ): Promise<SentMessage> {
    for (let attempt = 0; ; attempt++) {
      try {
        const answer = (await this.socket
          .timeout(this.ackTimeoutMs)
          .emitWithAck('message:send', { conversationId, clientMessageId, body })) as Ack<SentMessage>
        if (answer.ok) {
          this.accept(answer.data.message)
          return answer.data
        }
        if (answer.error.code !== 'INTERNAL' && answer.error.code !== 'RATE_LIMITED') {
          throw Object.assign(new Error(answer.error.message), { code: answer.error.code })
        }
      } catch (error) {
        if ((error as { code?: string }).code) throw error
        // A timeout: the server may or may not have stored it, so the same id goes again.
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * 2 ** attempt)))
    }
  }

  async call<E extends keyof ClientToServerEvents>(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
  ): Promise<Ack<unknown>> {
    return (await (
      this.socket.timeout(this.ackTimeoutMs) as unknown as {
        emitWithAck(e: string, p: unknown): Promise<Ack<unknown>>
      }
    ).emitWithAck(event, payload)) as Ack<unknown>
  }

  private async resync(): Promise<void> {
    await Promise.all([
      this.syncNotifications(),
      ...[...this.conversations.keys()].map((id) => this.syncConversation(id)),
    ]).catch(() => {
      // The connection dropped mid-sync; the next connect starts over.
    })
  }

  private async syncNotifications(): Promise<void> {
    if (this.syncingNotifications) return
    this.syncingNotifications = true
    try {
      for (;;) {
        const answer = await this.call('notifications:sync', { after: this.lastNotificationId, limit: 500 })
        if (!answer.ok) throw new Error(answer.error.message)
        const page = answer.data as { items: NotificationView[]; hasMore: boolean }
        for (const n of page.items) this.acceptNotification(n)
        if (!page.hasMore) break
      }
    } finally {
      this.syncingNotifications = false
      const held = this.heldBack.sort((a, b) => a.id - b.id)
      this.heldBack = []
      for (const n of held) this.acceptNotification(n)
    }
  }

  private onLiveNotification(n: NotificationView): void {
    if (this.syncingNotifications) this.heldBack.push(n)
    else this.acceptNotification(n)
  }

  private acceptNotification(n: NotificationView): void {
    if (n.id <= this.lastNotificationId) return
    this.lastNotificationId = n.id
    this.notifications.push(n)
    for (const listener of this.listeners.notification) listener(n)
  }

  private onLiveMessage(m: MessageView): void {
    const state = this.conversations.get(m.conversationId)
    if (!state) {
      this.conversations.set(m.conversationId, { lastSeq: 0, messages: [] })
      void this.syncConversation(m.conversationId).catch(() => {})
      return
    }
    if (this.syncingConversations.has(m.conversationId)) this.dirty.add(m.conversationId)
    else if (m.seq === state.lastSeq + 1) this.accept(m)
    else if (m.seq > state.lastSeq + 1) void this.syncConversation(m.conversationId).catch(() => {})
  }

  private async syncConversation(conversationId: number): Promise<void> {
    if (this.syncingConversations.has(conversationId)) return
    this.syncingConversations.add(conversationId)
    try {
      for (;;) {
        const state = this.conversations.get(conversationId)!
        const answer = await this.call('conversation:sync', {
          conversationId,
          afterSeq: state.lastSeq,
          limit: 500,
        })
        if (!answer.ok) throw new Error(answer.error.message)
        const page = answer.data as { items: MessageView[]; hasMore: boolean }
        for (const m of page.items) this.accept(m)
        if (!page.hasMore && !this.dirty.delete(conversationId)) break
      }
    } finally {
      this.syncingConversations.delete(conversationId)
    }
  }

  private accept(m: MessageView): void {
    let state = this.conversations.get(m.conversationId)
    if (!state) {
      state = { lastSeq: 0, messages: [] }
      this.conversations.set(m.conversationId, state)
    }
    // Our own acked sends can run ahead of the stream; the sync fills what lies between.
    if (m.seq !== state.lastSeq + 1) {
      if (m.seq > state.lastSeq + 1) {
        if (this.syncingConversations.has(m.conversationId)) this.dirty.add(m.conversationId)
        else void this.syncConversation(m.conversationId).catch(() => {})
      }
      return
    }
    state.lastSeq = m.seq
    state.messages.push(m)
    for (const listener of this.listeners.message) listener(m)
  }
}
