import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requirePrincipal, requireRole } from '../infra/auth/plugin.js'
import type { perAccount } from '../infra/http/rate-limit.js'
import { commonErrors, IdParams } from '../shared/schemas.js'
import type { ExpertsService } from './experts.js'
import {
  AffinityBody,
  AffinityResponse,
  ExpertSearchBody,
  ExpertSearchResponse,
  SuggestionListResponse,
  SuggestionsQuery,
} from './schemas.js'
import type { SuggestionsService } from './suggestions.js'

const authErrors = { 401: Type.Ref('ErrorResponse'), 403: Type.Ref('ErrorResponse') }
const rateLimited = { 429: Type.Ref('ErrorResponse') }

export const matchingRoutes: FastifyPluginAsyncTypebox<{
  suggestions: SuggestionsService
  experts: ExpertsService
  rateLimit: ReturnType<typeof perAccount>
}> = async (app, { suggestions, experts, rateLimit }) => {
  const limited = { rateLimit }
  app.get(
    '/v1/researchers/:id/suggestions',
    {
      config: limited,
      schema: {
        tags: ['matching'],
        summary: 'Who this researcher should work with, and why (for the record’s claimant)',
        params: IdParams,
        querystring: SuggestionsQuery,
        response: {
          200: SuggestionListResponse,
          ...authErrors,
          404: Type.Ref('ErrorResponse'),
          ...rateLimited,
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const {
        limit,
        includeCoauthors,
        excludeIds,
        wGraph,
        wWalk,
        wText,
        wDense,
        wAdamicAdar,
        wHubness,
        wLastAuthor,
        ...filters
      } = request.query
      const weights = Object.fromEntries(
        Object.entries({
          graph: wGraph,
          walk: wWalk,
          text: wText,
          dense: wDense,
          adamicAdar: wAdamicAdar,
          hubness: wHubness,
          lastAuthor: wLastAuthor,
        }).filter(([, v]) => v !== undefined),
      )
      return suggestions.suggestForClaimant(requirePrincipal(request), request.params.id, {
        limit,
        includeCoauthors,
        ...filters,
        ...(excludeIds ? { excludeIds } : {}),
        ...(Object.keys(weights).length > 0 ? { weights } : {}),
      })
    },
  )

  app.post(
    '/v1/experts/search',
    {
      config: limited,
      schema: {
        tags: ['matching'],
        summary: 'Experts for a text, minus conflicts of interest',
        body: ExpertSearchBody,
        response: {
          200: ExpertSearchResponse,
          404: Type.Ref('ErrorResponse'),
          ...authErrors,
          ...rateLimited,
          ...commonErrors,
        },
      },
    },
    async (request) => {
      requireRole(request, 'programme_officer', 'admin')
      const { text, k, filters, conflicts } = request.body
      return experts.search(text, k, filters, conflicts)
    },
  )

  app.post(
    '/v1/experts/affinity',
    {
      config: limited,
      schema: {
        tags: ['matching'],
        summary: "Each given researcher's affinity to a text",
        body: AffinityBody,
        response: {
          200: AffinityResponse,
          404: Type.Ref('ErrorResponse'),
          ...authErrors,
          ...rateLimited,
          ...commonErrors,
        },
      },
    },
    async (request) => {
      requireRole(request, 'programme_officer', 'admin')
      return experts.affinity(request.body.text, request.body.researcherIds)
    },
  )
}
