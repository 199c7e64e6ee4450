import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ForbiddenError, UnauthorizedError } from '../http/errors.js'
import type { Principal, Role, TokenService } from './tokens.js'

export interface AuthPluginOptions {
  tokens: TokenService
  /** The role an account holds now, or null once it is gone. */
  currentRole: (accountId: number) => Promise<Role | null>
}

/**
 * Reads an optional bearer token on every request. Routes that need a caller use
 * `requirePrincipal(request)` or `requireRole(request, ...)` in their handler or preHandler.
 */
export const authPlugin = fp<AuthPluginOptions>(
  async (app: FastifyInstance, { tokens, currentRole }) => {
    app.decorateRequest('principal', null)
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization
      if (!header) return
      const [scheme, token] = header.split(' ')
      if (scheme?.toLowerCase() !== 'bearer' || !token)
        throw new UnauthorizedError('Use "Authorization: Bearer <token>"')
      const principal = tokens.verify(token)
      // A token names the account and role it was issued with, and outlives a deletion or a
      // demotion by up to its lifetime: one primary-key read says what holds now. Without it a
      // deleted account's token would still act (and its writes fail on the foreign keys).
      const role = await currentRole(principal.accountId)
      if (!role) throw new UnauthorizedError('Account no longer exists')
      request.principal = { ...principal, role }
    })
  },
  { name: 'auth' },
)

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthorizedError()
  return request.principal
}

export function requireRole(request: FastifyRequest, ...roles: Role[]): Principal {
  const principal = requirePrincipal(request)
  if (!roles.includes(principal.role)) throw new ForbiddenError(`Needs one of the roles: ${roles.join(', ')}`)
  return principal
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
}
