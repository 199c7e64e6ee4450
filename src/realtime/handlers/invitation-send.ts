import { SendInvitation } from '../contract.js'
import { defineHandler } from './define.js'

export const invitationSend = () =>
  defineHandler('invitation:send', SendInvitation, (ctx, payload) =>
    ctx.invitations.send(ctx.socket.data.accountId, payload),
  )
