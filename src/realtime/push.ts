import type { Server } from 'socket.io'
import type {
  ClientToServerEvents,
  MessageView,
  NotificationView,
  ServerToClientEvents,
  SocketData,
} from './contract.js'
import { conversationRoom, userRoom } from './rooms.js'

export type RealtimeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>

/**
 * How services reach connected clients after they commit. Pushing is best effort: whatever is pushed
 * is stored first, and a client that missed a push gets it on resume.
 */
export interface Push {
  notify(accountIds: readonly number[], notification: NotificationView): void
  /** To the member accounts' own rooms, which every tab joins on connect, so no join can race it. */
  message(memberAccountIds: readonly number[], message: MessageView, exceptSocketId?: string): void
  /** Lets every connected tab of these accounts into a conversation opened while they were online. */
  joinConversation(accountIds: readonly number[], conversationId: number): void
  conversationEvent<E extends 'message:read' | 'typing:start' | 'typing:stop'>(
    conversationId: number,
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
    exceptSocketId?: string,
  ): void
  /** Closes every tab of these accounts, on every node: their sessions ended (e.g. the account was deleted). */
  disconnect(accountIds: readonly number[]): void
}

/** Push through Socket.IO once it is attached; before that (or without it) pushes are dropped. */
export class SocketPush implements Push {
  private io: RealtimeServer | null = null

  attach(io: RealtimeServer): void {
    this.io = io
  }

  detach(): void {
    this.io = null
  }

  notify(accountIds: readonly number[], notification: NotificationView): void {
    if (!this.io || accountIds.length === 0)
      return // One broadcast to many rooms: encoded once, and one adapter message for the whole fan-out.
    ;(this.io.to(accountIds.map(userRoom)).emit as (event: string, payload: unknown) => boolean)(
      notification.type,
      notification,
    )
  }

  message(memberAccountIds: readonly number[], message: MessageView, exceptSocketId?: string): void {
    if (!this.io || memberAccountIds.length === 0) return
    const target = this.io.to(memberAccountIds.map(userRoom))
    ;(exceptSocketId ? target.except(exceptSocketId) : target).emit('message:new', message)
  }

  joinConversation(accountIds: readonly number[], conversationId: number): void {
    if (!this.io || accountIds.length === 0) return
    this.io.in(accountIds.map(userRoom)).socketsJoin(conversationRoom(conversationId))
  }

  conversationEvent<E extends 'message:read' | 'typing:start' | 'typing:stop'>(
    conversationId: number,
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
    exceptSocketId?: string,
  ): void {
    if (!this.io) return
    const target = this.io.to(conversationRoom(conversationId))
    ;(exceptSocketId ? target.except(exceptSocketId) : target).emit(
      event,
      ...([payload] as Parameters<ServerToClientEvents[E]>),
    )
  }

  disconnect(accountIds: readonly number[]): void {
    if (!this.io || accountIds.length === 0) return
    this.io.in(accountIds.map(userRoom)).disconnectSockets(true)
  }
}
