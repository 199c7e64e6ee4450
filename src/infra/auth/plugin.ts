import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ForbiddenError, UnauthorizedError } from '../http/errors.js'
import type { Principal, Role, TokenService } from './tokens.js'

/**
 * Reads an optional bearer token on every request. Routes that need a caller use
 * `requirePrincipal(request)` or `requireRole(request, ...)` in their handler or preHandler.
 */
export const authPlugin = fp<{ tokens: TokenService }>(
  async (app: FastifyInstance, { tokens }) => {
    app.decorateRequest('principal', null)
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization
      if (!header) return
      const [scheme, token] = header.split(' ')
      if (scheme?.toLowerCase() !== 'bearer' || !token)
        throw new UnauthorizedError('Use "Authorization: Bearer <token>"')
      request.principal = tokens.verify(token)
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
