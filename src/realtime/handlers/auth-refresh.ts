import { ForbiddenError } from '../../infra/http/errors.js'
import { RefreshSession } from '../contract.js'
import { defineHandler } from './define.js'

/** A new token for the same account extends the socket's life; the role follows the new token. */
export const authRefresh = () =>
  defineHandler('auth:refresh', RefreshSession, async (ctx, { token }) => {
    const { principal, expiresAt } = ctx.tokens.verifySession(token)
    if (principal.accountId !== ctx.socket.data.accountId)
      throw new ForbiddenError('The token belongs to another account')
    ctx.socket.data.role = principal.role
    ctx.socket.data.expiresAt = expiresAt.getTime()
    ctx.session.rearm()
    return { expiresAt: expiresAt.toISOString() }
  })
