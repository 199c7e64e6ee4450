import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponse } from '../shared/schemas.js'
import type { HealthService } from './service.js'

const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  database: Type.Object({
    kind: Type.String(),
    reachable: Type.Boolean(),
    migrationsApplied: Type.Integer(),
    migrationsExpected: Type.Integer(),
  }),
  embeddings: Type.Object({
    dense: Type.Union([Type.Literal('available'), Type.Literal('unavailable')]),
    lexical: Type.Literal('available'),
    model: Type.String(),
    reason: Type.Optional(Type.String()),
  }),
})

export const healthRoutes: FastifyPluginAsyncTypebox<{ health: HealthService }> = async (app, { health }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'The process is alive',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Dependencies are reachable and the schema is current',
        // While the server drains at shutdown every request, this one too, gets the error shape.
        response: { 200: Ready, 503: Type.Union([Ready, ErrorResponse]) },
      },
    },
    async (_request, reply) => {
      const report = await health.readiness()
      return reply.status(report.status === 'ready' ? 200 : 503).send(report)
    },
  )
}
