import { MarkRead } from '../contract.js'
import { defineHandler } from './define.js'

export const messageRead = () =>
  defineHandler('message:read', MarkRead, (ctx, { conversationId, seq }) =>
    ctx.conversations.markRead(ctx.socket.data.accountId, conversationId, seq, ctx.socket.id),
  )
