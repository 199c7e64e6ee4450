import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requirePrincipal, requireRole } from '../infra/auth/plugin.js'
import { commonErrors, IdParams, PageQuery } from '../shared/schemas.js'
import type { MergesService } from './merges.js'
import {
  DistinctParams,
  DuplicateGroups,
  LikelyDuplicates,
  MergeBody,
  MergeList,
  MergeResult,
} from './schemas.js'

const err = Type.Ref('ErrorResponse')

export const mergeRoutes: FastifyPluginAsyncTypebox<{ merges: MergesService }> = async (app, { merges }) => {
  app.post(
    '/v1/researchers/:id/merge',
    {
      schema: {
        tags: ['researchers'],
        summary:
          "The claimant folds another record of theirs into this one: only one carrying this record's ORCID (others: report it to an operator)",
        params: IdParams,
        body: MergeBody,
        response: { 200: MergeResult, 401: err, 403: err, 404: err, 409: err, ...commonErrors },
      },
    },
    async (request) =>
      merges.mergeOwn(requirePrincipal(request), request.params.id, request.body.duplicateId),
  )

  app.post(
    '/v1/admin/researchers/:id/merge',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Fold a duplicate record of the same person into this one: works, co-authors, follows and reports move; the duplicate goes',
        params: IdParams,
        body: MergeBody,
        response: { 200: MergeResult, 401: err, 403: err, 404: err, 409: err, ...commonErrors },
      },
    },
    async (request) =>
      merges.merge(requireRole(request, 'admin'), request.params.id, request.body.duplicateId),
  )

  app.get(
    '/v1/admin/duplicates',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Records that share an ORCID, the likeliest duplicates to merge (claimed first, then by works)',
        querystring: Type.Object(PageQuery),
        response: { 200: DuplicateGroups, 401: err, 403: err, ...commonErrors },
      },
    },
    async (request) => {
      requireRole(request, 'admin')
      return merges.duplicates(request.query.limit, request.query.offset)
    },
  )

  app.get(
    '/v1/admin/duplicates/by-name',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Pairs of records no ORCID links that may be one person: same family name and compatible given names, with a shared co-author or the same institution (most shared co-authors first)',
        querystring: Type.Object(PageQuery),
        response: { 200: LikelyDuplicates, 401: err, 403: err, ...commonErrors },
      },
    },
    async (request) => {
      requireRole(request, 'admin')
      return merges.likelyDuplicates(request.query.limit, request.query.offset)
    },
  )

  app.put(
    '/v1/admin/researchers/:id/distinct/:otherId',
    {
      schema: {
        tags: ['admin'],
        summary:
          'The two records are two people: the likely-duplicates list leaves the pair out (idempotent)',
        params: DistinctParams,
        response: { 204: Type.Null(), 401: err, 403: err, 404: err, ...commonErrors },
      },
    },
    async (request, reply) => {
      await merges.markDistinct(requireRole(request, 'admin'), request.params.id, request.params.otherId)
      return reply.status(204).send(null)
    },
  )

  app.delete(
    '/v1/admin/researchers/:id/distinct/:otherId',
    {
      schema: {
        tags: ['admin'],
        summary: 'Take back that the two records are two people (idempotent)',
        params: DistinctParams,
        response: { 204: Type.Null(), 401: err, 403: err, 404: err, ...commonErrors },
      },
    },
    async (request, reply) => {
      requireRole(request, 'admin')
      await merges.unmarkDistinct(request.params.id, request.params.otherId)
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/v1/admin/merges',
    {
      schema: {
        tags: ['admin'],
        summary: 'Merged records, newest first: which record each old id and external id now is',
        querystring: Type.Object(PageQuery),
        response: { 200: MergeList, 401: err, 403: err, ...commonErrors },
      },
    },
    async (request) => {
      requireRole(request, 'admin')
      return merges.merges(request.query.limit, request.query.offset)
    },
  )
}
