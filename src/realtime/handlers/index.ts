import { authRefresh } from './auth-refresh.js'
import { conversationSync } from './conversation-sync.js'
import type { Handler } from './define.js'
import { invitationAccept } from './invitation-accept.js'
import { invitationDecline } from './invitation-decline.js'
import { invitationSend } from './invitation-send.js'
import { invitationWithdraw } from './invitation-withdraw.js'
import { messageRead } from './message-read.js'
import { messageSend } from './message-send.js'
import { notificationsSync } from './notifications-sync.js'
import { typingStart, typingStop } from './typing.js'

export function createHandlers(): Map<string, Handler> {
  const handlers = [
    authRefresh(),
    invitationSend(),
    invitationAccept(),
    invitationDecline(),
    invitationWithdraw(),
    messageSend(),
    messageRead(),
    typingStart(),
    typingStop(),
    notificationsSync(),
    conversationSync(),
  ]
  return new Map(handlers.map((h) => [h.event, h]))
}
