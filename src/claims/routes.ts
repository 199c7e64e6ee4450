import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requirePrincipal, requireRole } from '../infra/auth/plugin.js'
import type { RouteRateLimit } from '../infra/http/rate-limit.js'
import { commonErrors, IdParams, PageQuery } from '../shared/schemas.js'
import {
  Claim,
  ClaimBody,
  ClaimList,
  ConfirmBody,
  DecisionBody,
  Domains,
  DomainsBody,
  ReviewQueue,
} from './schemas.js'
import type { ClaimsService } from './service.js'

const err = Type.Ref('ErrorResponse')
const authErrors = { 401: err, 403: err, 404: err, 409: err, ...commonErrors }

export const claimsRoutes: FastifyPluginAsyncTypebox<{
  claims: ClaimsService
  rateLimit: RouteRateLimit
}> = async (app, { claims, rateLimit }) => {
  app.post(
    '/v1/researchers/:id/claims',
    {
      config: { rateLimit },
      schema: {
        tags: ['claims'],
        summary: 'Claim an author record with evidence; clear cases are approved at once',
        params: IdParams,
        body: ClaimBody,
        response: { 201: Claim, ...authErrors, 429: err },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await claims.create(requirePrincipal(request), request.params.id, request.body)),
  )

  app.get(
    '/v1/me/claims',
    {
      schema: {
        tags: ['claims'],
        summary: "The caller's claims, newest first",
        response: { 200: ClaimList, 401: err, ...commonErrors },
      },
    },
    async (request) => claims.mine(requirePrincipal(request)),
  )

  app.get(
    '/v1/claims/:id',
    {
      schema: {
        tags: ['claims'],
        summary: 'One claim (claimant or admin)',
        params: IdParams,
        response: { 200: Claim, ...authErrors },
      },
    },
    async (request) => claims.get(requirePrincipal(request), request.params.id),
  )

  app.post(
    '/v1/claims/:id/confirm',
    {
      config: { rateLimit },
      schema: {
        tags: ['claims'],
        summary: 'Confirm the institutional email with the code sent to it',
        params: IdParams,
        body: ConfirmBody,
        response: { 200: Claim, ...authErrors, 429: err },
      },
    },
    async (request) => claims.confirmEmail(requirePrincipal(request), request.params.id, request.body.code),
  )

  app.post(
    '/v1/claims/:id/code',
    {
      config: { rateLimit },
      schema: {
        tags: ['claims'],
        summary: 'Send a new confirmation code; the previous one stops working',
        params: IdParams,
        response: { 200: Claim, ...authErrors, 429: err },
      },
    },
    async (request) => claims.resendCode(requirePrincipal(request), request.params.id),
  )

  app.post(
    '/v1/claims/:id/release',
    {
      schema: {
        tags: ['claims'],
        summary: 'Withdraw a pending claim or give up an approved one',
        params: IdParams,
        response: { 200: Claim, ...authErrors },
      },
    },
    async (request) => claims.release(requirePrincipal(request), request.params.id),
  )

  app.get(
    '/v1/admin/claims',
    {
      schema: {
        tags: ['admin'],
        summary: 'Claims waiting for an admin, oldest first',
        querystring: Type.Object(PageQuery),
        response: { 200: ReviewQueue, 401: err, 403: err, ...commonErrors },
      },
    },
    async (request) => {
      requireRole(request, 'admin')
      return claims.queue(request.query.limit, request.query.offset)
    },
  )

  app.post(
    '/v1/admin/claims/:id/decision',
    {
      schema: {
        tags: ['admin'],
        summary: 'Approve (the record becomes L3) or reject a pending claim',
        params: IdParams,
        body: DecisionBody,
        response: { 200: Claim, ...authErrors },
      },
    },
    async (request) =>
      claims.decide(
        requireRole(request, 'admin'),
        request.params.id,
        request.body.decision,
        request.body.note,
      ),
  )

  app.put(
    '/v1/admin/institutions/:id/domains',
    {
      schema: {
        tags: ['admin'],
        summary: "Set the email domains that speak for an institution's members",
        params: IdParams,
        body: DomainsBody,
        response: { 200: Domains, 401: err, 403: err, 404: err, ...commonErrors },
      },
    },
    async (request) => {
      requireRole(request, 'admin')
      return claims.setInstitutionDomains(request.params.id, request.body.domains)
    },
  )
}
