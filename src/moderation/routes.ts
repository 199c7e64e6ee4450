import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requireRole } from '../infra/auth/plugin.js'
import { commonErrors, IdParams, PageQuery } from '../shared/schemas.js'
import {
  Report,
  ReportDecision,
  ReportQueue,
  ReportQueueQuery,
  Suspension,
  SuspensionBody,
  SuspensionList,
} from './schemas.js'
import type { ModerationService } from './service.js'

const err = Type.Ref('ErrorResponse')

export const moderationRoutes: FastifyPluginAsyncTypebox<{
  moderation: ModerationService
}> = async (app, { moderation }) => {
  app.get(
    '/v1/admin/reports',
    {
      schema: {
        tags: ['admin'],
        summary: 'Reports against records, oldest first (open ones by default)',
        querystring: ReportQueueQuery,
        response: { 200: ReportQueue, 401: err, 403: err, ...commonErrors },
      },
    },
    async (request) => {
      requireRole(request, 'admin')
      const { status, limit, offset } = request.query
      return moderation.reports(status ?? 'open', limit, offset)
    },
  )

  app.post(
    '/v1/admin/reports/:id/decision',
    {
      schema: {
        tags: ['admin'],
        summary: "Dismiss a report (it stops lowering the record's trust) or uphold it",
        params: IdParams,
        body: ReportDecision,
        response: { 200: Report, 401: err, 403: err, 404: err, 409: err, ...commonErrors },
      },
    },
    async (request) =>
      moderation.decide(
        requireRole(request, 'admin'),
        request.params.id,
        request.body.decision,
        request.body.note,
      ),
  )

  app.put(
    '/v1/admin/researchers/:id/suspension',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Take a record out of matching: no longer suggested, found as an expert, claimed or invited (again: a new reason)',
        params: IdParams,
        body: SuspensionBody,
        response: { 200: Suspension, 401: err, 403: err, 404: err, ...commonErrors },
      },
    },
    async (request) =>
      moderation.suspend(requireRole(request, 'admin'), request.params.id, request.body.reason),
  )

  app.delete(
    '/v1/admin/researchers/:id/suspension',
    {
      schema: {
        tags: ['admin'],
        summary: 'Lift a suspension (idempotent)',
        params: IdParams,
        response: { 204: Type.Null(), 401: err, 403: err, 404: err, ...commonErrors },
      },
    },
    async (request, reply) => {
      requireRole(request, 'admin')
      await moderation.lift(request.params.id)
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/v1/admin/suspensions',
    {
      schema: {
        tags: ['admin'],
        summary: 'Suspended records, newest first',
        querystring: Type.Object(PageQuery),
        response: { 200: SuspensionList, 401: err, 403: err, ...commonErrors },
      },
    },
    async (request) => {
      requireRole(request, 'admin')
      return moderation.suspensions(request.query.limit, request.query.offset)
    },
  )
}
