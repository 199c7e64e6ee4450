import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requirePrincipal } from '../infra/auth/plugin.js'
import { commonErrors, IdParams, PageQuery } from '../shared/schemas.js'
import type { SuggestionDismissals } from './dismissals.js'
import { DismissalParams, DismissalState, DismissedPage } from './schemas.js'

const err = Type.Ref('ErrorResponse')

export const dismissalsRoutes: FastifyPluginAsyncTypebox<{ dismissals: SuggestionDismissals }> = async (
  app,
  { dismissals },
) => {
  const errors = { 401: err, 403: err, 404: err, ...commonErrors }

  app.put(
    '/v1/researchers/:id/suggestions/dismissed/:candidateId',
    {
      schema: {
        tags: ['matching'],
        summary: 'Claimant only: never suggest this researcher again (idempotent)',
        params: DismissalParams,
        response: { 200: DismissalState, ...errors, 409: err },
      },
    },
    async (request) =>
      dismissals.dismiss(requirePrincipal(request), request.params.id, request.params.candidateId),
  )

  app.delete(
    '/v1/researchers/:id/suggestions/dismissed/:candidateId',
    {
      schema: {
        tags: ['matching'],
        summary: 'Claimant only: suggest this researcher again when they rank (idempotent)',
        params: DismissalParams,
        response: { 200: DismissalState, ...errors },
      },
    },
    async (request) =>
      dismissals.restore(requirePrincipal(request), request.params.id, request.params.candidateId),
  )

  app.get(
    '/v1/researchers/:id/suggestions/dismissed',
    {
      schema: {
        tags: ['matching'],
        summary: 'Claimant only: researchers dismissed from the suggestions, newest first',
        params: IdParams,
        querystring: Type.Object(PageQuery),
        response: { 200: DismissedPage, ...errors },
      },
    },
    async (request) =>
      dismissals.list(
        requirePrincipal(request),
        request.params.id,
        request.query.limit,
        request.query.offset,
      ),
  )
}
