import { InvitationAction } from '../contract.js'
import { defineHandler } from './define.js'

export const invitationDecline = () =>
  defineHandler('invitation:decline', InvitationAction, (ctx, { invitationId }) =>
    ctx.invitations.act(ctx.socket.data.accountId, invitationId, 'decline'),
  )
