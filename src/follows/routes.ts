import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requirePrincipal } from '../infra/auth/plugin.js'
import { commonErrors, IdParams, PageQuery } from '../shared/schemas.js'
import { FollowersPage, FollowingPage, FollowState } from './schemas.js'
import type { FollowsService } from './service.js'

const err = Type.Ref('ErrorResponse')

export const followsRoutes: FastifyPluginAsyncTypebox<{ follows: FollowsService }> = async (
  app,
  { follows },
) => {
  app.put(
    '/v1/researchers/:id/follow',
    {
      schema: {
        tags: ['follows'],
        summary: 'Follow a record (idempotent)',
        params: IdParams,
        response: { 200: FollowState, 401: err, 404: err, ...commonErrors },
      },
    },
    async (request) => follows.follow(requirePrincipal(request), request.params.id),
  )

  app.delete(
    '/v1/researchers/:id/follow',
    {
      schema: {
        tags: ['follows'],
        summary: 'Stop following a record (idempotent)',
        params: IdParams,
        response: { 200: FollowState, 401: err, 404: err, ...commonErrors },
      },
    },
    async (request) => follows.unfollow(requirePrincipal(request), request.params.id),
  )

  app.get(
    '/v1/researchers/:id/followers',
    {
      schema: {
        tags: ['follows'],
        summary: "A record's followers, newest first (signed-in callers)",
        params: IdParams,
        querystring: Type.Object(PageQuery),
        response: { 200: FollowersPage, 401: err, 404: err, ...commonErrors },
      },
    },
    async (request) => {
      requirePrincipal(request)
      return follows.followers(request.params.id, request.query.limit, request.query.offset)
    },
  )

  app.get(
    '/v1/me/following',
    {
      schema: {
        tags: ['follows'],
        summary: 'Records the caller follows, newest first',
        querystring: Type.Object(PageQuery),
        response: { 200: FollowingPage, 401: err, ...commonErrors },
      },
    },
    async (request) =>
      follows.following(requirePrincipal(request), request.query.limit, request.query.offset),
  )
}
