import { SyncConversation } from '../contract.js'
import { defineHandler } from './define.js'

export const conversationSync = () =>
  defineHandler('conversation:sync', SyncConversation, (ctx, { conversationId, afterSeq, limit }) =>
    ctx.conversations.history(ctx.socket.data.accountId, conversationId, { afterSeq, limit: limit ?? 200 }),
  )
