import { NotFoundError } from '../../infra/http/errors.js'
import { Typing } from '../contract.js'
import { conversationRoom } from '../rooms.js'
import { defineHandler } from './define.js'

/** Ephemeral: relayed to the conversation's other tabs, never stored; the room is the membership check. */
const typingRelay = (event: 'typing:start' | 'typing:stop') =>
  defineHandler(event, Typing, async (ctx, { conversationId }) => {
    if (!ctx.socket.rooms.has(conversationRoom(conversationId)))
      throw new NotFoundError('Conversation', conversationId)
    ctx.push.conversationEvent(
      conversationId,
      event,
      { conversationId, accountId: ctx.socket.data.accountId },
      ctx.socket.id,
    )
    return null
  })

export const typingStart = () => typingRelay('typing:start')
export const typingStop = () => typingRelay('typing:stop')
