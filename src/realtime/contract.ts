/**
 * The Socket.IO contract, in one place: what a client may send (with the payload schemas the server
 * checks), what the server pushes, and the shapes both carry. HTTP routes reuse the same shapes.
 */
import { type Static, type TSchema, Type } from 'typebox'
import { VISIBLE } from '../shared/schemas.js'

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 })
const Seq = Type.Integer({ minimum: 0, maximum: 2_147_483_647 })
const Timestamp = Type.String({ format: 'date-time' })
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

// ---- shapes -------------------------------------------------------------------------------------

export const InvitationStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('accepted'),
  Type.Literal('declined'),
  Type.Literal('withdrawn'),
  Type.Literal('expired'),
])
export type InvitationStatus = Static<typeof InvitationStatus>

const Party = Type.Object({ researcherId: Id, accountId: Id, name: Type.String() })

export const InvitationView = Type.Object({
  id: Id,
  status: InvitationStatus,
  message: Type.String(),
  suggestionId: Nullable(Id),
  sender: Party,
  invitee: Party,
  conversationId: Nullable(Id),
  expiresAt: Timestamp,
  decidedAt: Nullable(Timestamp),
  createdAt: Timestamp,
})
export type InvitationView = Static<typeof InvitationView>

export const MessageView = Type.Object({
  id: Id,
  conversationId: Id,
  seq: Id,
  senderAccountId: Type.Union([Id, Type.Null()], {
    description: 'null once the sender deleted their account',
  }),
  clientMessageId: Type.String(),
  body: Type.String(),
  createdAt: Timestamp,
})
export type MessageView = Static<typeof MessageView>

const notification = <K extends string, D extends TSchema>(type: K, data: D) =>
  Type.Object({ id: Id, type: Type.Literal(type), createdAt: Timestamp, data })

const WorkBrief = Type.Object({ id: Id, title: Type.String(), year: Nullable(Type.Integer()) })

/** Everything stored per account and pushed under the event named by `type`. */
export const NotificationView = Type.Union([
  notification('invitation:received', Type.Object({ invitation: InvitationView })),
  notification('invitation:updated', Type.Object({ invitation: InvitationView })),
  notification(
    'follow:work',
    Type.Object({ researcherId: Id, researcherName: Type.String(), works: Type.Array(WorkBrief) }),
  ),
  notification('follow:follower', Type.Object({ researcherId: Id, followerAccountId: Id })),
  notification('claim:decided', Type.Object({ claimId: Id, researcherId: Id, status: Type.String() })),
  notification(
    'suggestion:new',
    Type.Object({ researcherId: Id, suggestedResearcherId: Id, score: Type.Number() }),
  ),
  /**
   * The other member deleted their account: the history stays readable, nothing more can be sent
   * (a send is a 409). Stored like the others, so a tab that was offline gets it on resume.
   */
  notification(
    'conversation:closed',
    Type.Object({ conversationId: Id, reason: Type.Literal('member_deleted') }),
  ),
])
export type NotificationView = Static<typeof NotificationView>
export type NotificationType = NotificationView['type']
export type NotificationOf<K extends NotificationType> = Extract<NotificationView, { type: K }>
export type NotificationData<K extends NotificationType> = NotificationOf<K>['data']

export const NotificationPage = Type.Object({ items: Type.Array(NotificationView), hasMore: Type.Boolean() })
export type NotificationPage = Static<typeof NotificationPage>

export const MessagePage = Type.Object({
  items: Type.Array(MessageView),
  hasMore: Type.Boolean(),
  lastSeq: Seq,
})
export type MessagePage = Static<typeof MessagePage>

// ---- client → server payloads -------------------------------------------------------------------

export const MESSAGE_MAX_CHARS = 4000
export const INVITATION_MESSAGE_MAX_CHARS = 2000

export const SendInvitation = Type.Object(
  {
    inviteeResearcherId: Id,
    message: Type.String({ minLength: 1, maxLength: INVITATION_MESSAGE_MAX_CHARS, pattern: VISIBLE }),
    suggestionId: Type.Optional(Id),
  },
  { additionalProperties: false },
)
export const InvitationAction = Type.Object({ invitationId: Id }, { additionalProperties: false })
export const SendMessage = Type.Object(
  {
    conversationId: Id,
    /** Chosen by the client, reused on every retry: the same id is stored once. */
    clientMessageId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_:.-]+$' }),
    body: Type.String({ minLength: 1, maxLength: MESSAGE_MAX_CHARS, pattern: VISIBLE }),
  },
  { additionalProperties: false },
)
export const MarkRead = Type.Object({ conversationId: Id, seq: Id }, { additionalProperties: false })
export const Typing = Type.Object({ conversationId: Id }, { additionalProperties: false })
export const SyncNotifications = Type.Object(
  { after: Seq, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
  { additionalProperties: false },
)
export const SyncConversation = Type.Object(
  { conversationId: Id, afterSeq: Seq, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
  { additionalProperties: false },
)

/** A fresh access token for the same account, sent before the current one expires. */
export const RefreshSession = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 4096 }) },
  { additionalProperties: false },
)

/** What `socket.handshake.auth` may carry. */
export interface HandshakeAuth {
  token: string
  /** When given, the server pushes `notifications:replay` with everything after it, then live events. */
  lastNotificationId?: number
}

// ---- acks and event maps ------------------------------------------------------------------------

export interface AckError {
  code: string
  message: string
  details?: unknown
}
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError }
export type AckCallback<T> = (answer: Ack<T>) => void

export interface SentMessage {
  message: MessageView
  /** True when this clientMessageId had been stored before: nothing new was written. */
  duplicate: boolean
}

export interface ClientToServerEvents {
  'invitation:send': (payload: Static<typeof SendInvitation>, ack: AckCallback<InvitationView>) => void
  'invitation:accept': (payload: Static<typeof InvitationAction>, ack: AckCallback<InvitationView>) => void
  'invitation:decline': (payload: Static<typeof InvitationAction>, ack: AckCallback<InvitationView>) => void
  'invitation:withdraw': (payload: Static<typeof InvitationAction>, ack: AckCallback<InvitationView>) => void
  'message:send': (payload: Static<typeof SendMessage>, ack: AckCallback<SentMessage>) => void
  'message:read': (payload: Static<typeof MarkRead>, ack: AckCallback<{ lastReadSeq: number }>) => void
  /** Renews the socket's session; without it the socket is closed when the handshake token expires. */
  'auth:refresh': (payload: Static<typeof RefreshSession>, ack: AckCallback<{ expiresAt: string }>) => void
  'typing:start': (payload: Static<typeof Typing>, ack?: AckCallback<null>) => void
  'typing:stop': (payload: Static<typeof Typing>, ack?: AckCallback<null>) => void
  'notifications:sync': (
    payload: Static<typeof SyncNotifications>,
    ack: AckCallback<NotificationPage>,
  ) => void
  'conversation:sync': (payload: Static<typeof SyncConversation>, ack: AckCallback<MessagePage>) => void
}

export type ClientEvent = keyof ClientToServerEvents

type NotificationEvents = { [K in NotificationType]: (notification: NotificationOf<K>) => void }

export interface ServerToClientEvents extends NotificationEvents {
  /** The session's token expired without `auth:refresh`; the server disconnects right after. */
  'auth:expired': (event: { expiredAt: string }) => void
  /** Answer to `auth.lastNotificationId`: oldest first; when hasMore, continue with `notifications:sync`. */
  'notifications:replay': (page: NotificationPage) => void
  /** To every tab of every member except the sending tab. */
  'message:new': (message: MessageView) => void
  'message:read': (receipt: { conversationId: number; accountId: number; seq: number }) => void
  'typing:start': (event: { conversationId: number; accountId: number }) => void
  'typing:stop': (event: { conversationId: number; accountId: number }) => void
}

export interface SocketData {
  accountId: number
  role: string
  /** Epoch ms at which the session's token expires. */
  expiresAt: number
}
