import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requirePrincipal } from '../infra/auth/plugin.js'
import { commonErrors } from '../shared/schemas.js'
import type { BlocksService } from './blocks-service.js'

const Err = Type.Ref('ErrorResponse')
const security = [{ bearerAuth: [] }]
export const BlockedResearcher = Type.Object({
  researcherId: Type.Integer(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
})
const ResearcherParams = Type.Object({ researcherId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) })

export const blocksRoutes: FastifyPluginAsyncTypebox<{ blocks: BlocksService }> = async (app, { blocks }) => {
  app.put(
    '/v1/blocks/:researcherId',
    {
      schema: {
        tags: ['invitations'],
        summary: 'Block a researcher: no invitations or messages either way (idempotent)',
        security,
        params: ResearcherParams,
        response: {
          200: Type.Object({ researcherId: Type.Integer(), blocked: Type.Boolean() }),
          401: Err,
          403: Err,
          404: Err,
          ...commonErrors,
        },
      },
    },
    async (request) => blocks.block(requirePrincipal(request).accountId, request.params.researcherId),
  )

  app.delete(
    '/v1/blocks/:researcherId',
    {
      schema: {
        tags: ['invitations'],
        summary: 'Lift a block',
        security,
        params: ResearcherParams,
        response: { 204: Type.Null(), 401: Err, 403: Err, 404: Err, ...commonErrors },
      },
    },
    async (request, reply) => {
      await blocks.unblock(requirePrincipal(request).accountId, request.params.researcherId)
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/v1/blocks',
    {
      schema: {
        tags: ['invitations'],
        summary: 'Researchers I blocked',
        security,
        response: {
          200: Type.Object({ items: Type.Array(BlockedResearcher) }),
          401: Err,
          403: Err,
          ...commonErrors,
        },
      },
    },
    async (request) => blocks.list(requirePrincipal(request).accountId),
  )
}
