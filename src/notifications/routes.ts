import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requirePrincipal } from '../infra/auth/plugin.js'
import { NotificationPage } from '../realtime/contract.js'
import { commonErrors } from '../shared/schemas.js'
import type { NotificationsService } from './service.js'

export const notificationsRoutes: FastifyPluginAsyncTypebox<{ notifications: NotificationsService }> = async (
  app,
  { notifications },
) => {
  app.get(
    '/v1/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'My notifications after an id, oldest first (resume from the last id seen)',
        security: [{ bearerAuth: [] }],
        querystring: Type.Object({
          after: Type.Integer({ minimum: 0, maximum: 2_147_483_647, default: 0 }),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: { 200: NotificationPage, 401: Type.Ref('ErrorResponse'), ...commonErrors },
      },
    },
    async (request) =>
      notifications.list(requirePrincipal(request).accountId, request.query.after, request.query.limit),
  )
}
