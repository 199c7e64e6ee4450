import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { commonErrors, IdParams } from '../shared/schemas.js'
import { GraphQuery, ResearchGraph } from './schemas.js'
import type { GraphService } from './service.js'

export const graphRoutes: FastifyPluginAsyncTypebox<{ graph: GraphService }> = async (app, { graph }) => {
  app.get(
    '/v1/researchers/:id/graph',
    {
      schema: {
        tags: ['graph'],
        summary: 'Nearby people, works, topics and institutions, bounded in size',
        params: IdParams,
        querystring: GraphQuery,
        response: { 200: ResearchGraph, 404: Type.Ref('ErrorResponse'), ...commonErrors },
      },
    },
    async (request) => graph.neighbourhood(request.params.id, request.query.depth === 2 ? 2 : 1),
  )
}
