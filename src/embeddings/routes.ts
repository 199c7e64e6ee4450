import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requireRole } from '../infra/auth/plugin.js'
import { commonErrors } from '../shared/schemas.js'
import type { EmbeddingStatusService } from './service.js'

const Status = Type.Object({
  model: Type.Object({
    available: Type.Boolean(),
    id: Type.String(),
    dtype: Type.String(),
    dimensions: Type.Optional(Type.Integer()),
    reason: Type.Optional(Type.String()),
  }),
  works: Type.Integer(),
  queue: Type.Object({ pending: Type.Integer(), inProgress: Type.Integer(), failed: Type.Integer() }),
  done: Type.Object({ dense: Type.Integer(), lexical: Type.Integer() }),
  throughput: Type.Object({
    densePerMinute: Type.Integer({ description: 'Dense vectors stored in the last 60 s' }),
  }),
})

export const embeddingRoutes: FastifyPluginAsyncTypebox<{ embeddings: EmbeddingStatusService }> = async (
  app,
  { embeddings },
) => {
  app.get(
    '/v1/admin/embedding-status',
    {
      schema: {
        tags: ['operations'],
        summary: 'Embedding queue and coverage (admins)',
        security: [{ bearerAuth: [] }],
        response: {
          200: Status,
          401: Type.Ref('ErrorResponse'),
          403: Type.Ref('ErrorResponse'),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      requireRole(request, 'admin')
      return embeddings.status()
    },
  )
}
