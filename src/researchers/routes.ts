import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { commonErrors, IdParams, PageQuery } from '../shared/schemas.js'
import { ResearcherProfile, ResearcherSearchPage, ResearcherWorksPage } from './schemas.js'
import type { ResearchersService } from './service.js'

export const researchersRoutes: FastifyPluginAsyncTypebox<{ researchers: ResearchersService }> = async (
  app,
  { researchers },
) => {
  app.get(
    '/v1/researchers',
    {
      schema: {
        tags: ['researchers'],
        summary: 'Find author records by name',
        querystring: Type.Object({ q: Type.String({ minLength: 2, maxLength: 200 }), ...PageQuery }),
        response: { 200: ResearcherSearchPage, ...commonErrors },
      },
    },
    async (request) => researchers.search(request.query.q, request.query.limit, request.query.offset),
  )

  app.get(
    '/v1/researchers/:id',
    {
      schema: {
        tags: ['researchers'],
        summary: 'An author record with its counts',
        params: IdParams,
        response: { 200: ResearcherProfile, 404: Type.Ref('ErrorResponse'), ...commonErrors },
      },
    },
    async (request) => researchers.profile(request.params.id, request.principal),
  )

  app.get(
    '/v1/researchers/:id/works',
    {
      schema: {
        tags: ['researchers'],
        summary: "A researcher's works, newest first",
        params: IdParams,
        querystring: Type.Object(PageQuery),
        response: { 200: ResearcherWorksPage, 404: Type.Ref('ErrorResponse'), ...commonErrors },
      },
    },
    async (request) => researchers.works(request.params.id, request.query.limit, request.query.offset),
  )
}
