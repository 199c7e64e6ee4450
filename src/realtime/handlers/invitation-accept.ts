import { InvitationAction } from '../contract.js'
import { defineHandler } from './define.js'

export const invitationAccept = () =>
  defineHandler('invitation:accept', InvitationAction, (ctx, { invitationId }) =>
    ctx.invitations.act(ctx.socket.data.accountId, invitationId, 'accept'),
  )
