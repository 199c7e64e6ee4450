import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requirePrincipal, requireRole } from '../infra/auth/plugin.js'
import { commonErrors, IdParams } from '../shared/schemas.js'
import { ReportBody, Trust } from './schemas.js'
import type { TrustService } from './service.js'

const err = Type.Ref('ErrorResponse')

export const trustRoutes: FastifyPluginAsyncTypebox<{ trust: TrustService }> = async (app, { trust }) => {
  app.post(
    '/v1/researchers/:id/reports',
    {
      schema: {
        tags: ['trust'],
        summary: 'Report a record as fake or misattributed (once per account); lowers its trust',
        params: IdParams,
        body: ReportBody,
        response: { 204: Type.Null(), 401: err, 404: err, ...commonErrors },
      },
    },
    async (request, reply) => {
      await trust.report(requirePrincipal(request), request.params.id, request.body.reason)
      return reply.status(204).send(null)
    },
  )

  for (const [method, verified] of [
    ['PUT', true],
    ['DELETE', false],
  ] as const) {
    app.route({
      method,
      url: '/v1/admin/researchers/:id/verification',
      schema: {
        tags: ['admin'],
        summary: verified ? 'Vouch for a record (level L3)' : 'Withdraw an admin verification',
        params: IdParams,
        response: { 200: Trust, 401: err, 403: err, 404: err, ...commonErrors },
      },
      handler: async (request) =>
        trust.setAdminVerified(requireRole(request, 'admin'), request.params.id, verified),
    })
  }
}
