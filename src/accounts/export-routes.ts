import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Claim } from '../claims/schemas.js'
import { ConversationSummary } from '../conversations/routes.js'
import { FollowingPage } from '../follows/schemas.js'
import { requirePrincipal } from '../infra/auth/plugin.js'
import type { RouteRateLimit } from '../infra/http/rate-limit.js'
import { BlockedResearcher } from '../invitations/blocks-routes.js'
import { ReportStatus } from '../moderation/schemas.js'
import { InvitationView, MessageView, NotificationView } from '../realtime/contract.js'
import { Settings } from '../researchers/settings-routes.js'
import { commonErrors } from '../shared/schemas.js'
import type { AccountExport } from './export.js'
import { Me } from './schemas.js'

const err = Type.Ref('ErrorResponse')
const Timestamp = Type.String({ format: 'date-time' })

const ExportDocument = Type.Object({
  exportedAt: Timestamp,
  account: Me,
  claims: Type.Array(Claim),
  record: Type.Union([
    Type.Object({
      researcherId: Type.Integer(),
      settings: Settings,
      dismissedSuggestions: Type.Array(Type.Object({ researcherId: Type.Integer(), dismissedAt: Timestamp })),
    }),
    Type.Null(),
  ]),
  /** Reports the account filed against records, with where each stands. */
  reportsFiled: Type.Array(
    Type.Object({
      researcherId: Type.Integer(),
      reason: Type.String(),
      status: ReportStatus,
      createdAt: Timestamp,
    }),
  ),
  following: FollowingPage.properties.items,
  blocks: Type.Array(BlockedResearcher),
  invitations: Type.Object({ received: Type.Array(InvitationView), sent: Type.Array(InvitationView) }),
  conversations: Type.Array(
    Type.Object({ ...ConversationSummary.properties, messages: Type.Array(MessageView) }),
  ),
  notifications: Type.Array(NotificationView),
})

export const accountExportRoutes: FastifyPluginAsyncTypebox<{
  exporter: AccountExport
  rateLimit: RouteRateLimit
}> = async (app, { exporter, rateLimit }) => {
  app.get(
    '/v1/me/export',
    {
      // Reads everything of the account: limited like login, so it cannot be used to load the server.
      config: { rateLimit },
      schema: {
        tags: ['accounts'],
        summary: 'Everything kept about the calling account, as one JSON document to take away',
        response: { 200: ExportDocument, 401: err, 429: err, ...commonErrors },
      },
    },
    async (request, reply) => {
      reply.header('content-disposition', 'attachment; filename="collabmatch-export.json"')
      return exporter.of(requirePrincipal(request))
    },
  )
}
