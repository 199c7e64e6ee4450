import { InvitationAction } from '../contract.js'
import { defineHandler } from './define.js'

export const invitationWithdraw = () =>
  defineHandler('invitation:withdraw', InvitationAction, (ctx, { invitationId }) =>
    ctx.invitations.act(ctx.socket.data.accountId, invitationId, 'withdraw'),
  )
