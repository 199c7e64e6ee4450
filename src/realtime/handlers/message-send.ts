import { SendMessage } from '../contract.js'
import { defineHandler } from './define.js'

/** The ack comes after the message is stored and numbered; retries with the same clientMessageId are safe. */
export const messageSend = () =>
  defineHandler('message:send', SendMessage, (ctx, payload) =>
    ctx.conversations.send(ctx.socket.data.accountId, payload, ctx.socket.id),
  )
