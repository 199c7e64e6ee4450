import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { commonErrors, IdParams } from '../shared/schemas.js'
import { Institution, InstitutionPage, NameQuery, Topic, TopicPage } from './schemas.js'
import type { CatalogService } from './service.js'

/** Public, like the author records: the ids they return go into filters and settings. */
export const catalogRoutes: FastifyPluginAsyncTypebox<{ catalog: CatalogService }> = async (
  app,
  { catalog },
) => {
  app.get(
    '/v1/institutions',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Find institutions by name (for the institution filters)',
        querystring: NameQuery,
        response: { 200: InstitutionPage, ...commonErrors },
      },
    },
    async (request) => catalog.searchInstitutions(request.query.q, request.query.limit, request.query.offset),
  )

  app.get(
    '/v1/institutions/:id',
    {
      schema: {
        tags: ['catalog'],
        summary: 'An institution with its number of author records',
        params: IdParams,
        response: { 200: Institution, 404: Type.Ref('ErrorResponse'), ...commonErrors },
      },
    },
    async (request) => catalog.institution(request.params.id),
  )

  app.get(
    '/v1/topics',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Find topics by name (for emphasised topics)',
        querystring: NameQuery,
        response: { 200: TopicPage, ...commonErrors },
      },
    },
    async (request) => catalog.searchTopics(request.query.q, request.query.limit, request.query.offset),
  )

  app.get(
    '/v1/topics/:id',
    {
      schema: {
        tags: ['catalog'],
        summary: 'A topic with its number of works',
        params: IdParams,
        response: { 200: Topic, 404: Type.Ref('ErrorResponse'), ...commonErrors },
      },
    },
    async (request) => catalog.topic(request.params.id),
  )
}
