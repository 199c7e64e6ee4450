import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { TooManyRequestsError } from './errors.js'

export interface RouteRateLimit {
  max: number
  timeWindow: number
}

/**
 * Installs the limiter without a global limit: only routes that pass `config: { rateLimit }`
 * (the ones that guess passwords or codes, or create things) are counted, per client address.
 */
export async function installRateLimit(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new TooManyRequestsError(`Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s`),
  })
}

/**
 * A route's limit counted per signed-in account (per client address without one). Runs before the
 * handler, after authentication and validation: colleagues behind one university gateway each
 * have their own budget, and a request refused as invalid costs nothing.
 */
export function perAccount(limit: RouteRateLimit) {
  return {
    ...limit,
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) =>
      request.principal ? `account:${request.principal.accountId}` : `address:${request.ip}`,
  }
}
