import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requirePrincipal } from '../infra/auth/plugin.js'
import { MESSAGE_MAX_CHARS, MessagePage, MessageView } from '../realtime/contract.js'
import { commonErrors, IdParams, VISIBLE } from '../shared/schemas.js'
import type { ConversationsService } from './service.js'

const Err = Type.Ref('ErrorResponse')
const security = [{ bearerAuth: [] }]
const Seq = Type.Integer({ minimum: 0, maximum: 2_147_483_647 })

export const ConversationSummary = Type.Object({
  id: Type.Integer(),
  lastSeq: Type.Integer(),
  lastReadSeq: Type.Integer(),
  members: Type.Array(
    Type.Object({ accountId: Type.Integer(), researcherId: Type.Integer(), name: Type.String() }),
  ),
})

export const conversationsRoutes: FastifyPluginAsyncTypebox<{ conversations: ConversationsService }> = async (
  app,
  { conversations },
) => {
  app.get(
    '/v1/conversations',
    {
      schema: {
        tags: ['conversations'],
        summary: 'My conversations with their last sequence number and my read marker',
        security,
        response: {
          200: Type.Object({ items: Type.Array(ConversationSummary) }),
          401: Err,
          ...commonErrors,
        },
      },
    },
    async (request) => conversations.list(requirePrincipal(request).accountId),
  )

  app.get(
    '/v1/conversations/:id/messages',
    {
      schema: {
        tags: ['conversations'],
        summary: 'History, oldest first: after a sequence number (resume) or before one (scroll back)',
        security,
        params: IdParams,
        querystring: Type.Object({
          afterSeq: Type.Optional(Seq),
          beforeSeq: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: { 200: MessagePage, 401: Err, 404: Err, ...commonErrors },
      },
    },
    // With both cursors, beforeSeq wins: scrolling back is the rarer, explicit ask.
    async (request) =>
      conversations.history(requirePrincipal(request).accountId, request.params.id, request.query),
  )

  app.post(
    '/v1/conversations/:id/messages',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Send a message; a repeated clientMessageId returns the stored one (200) instead of 201',
        security,
        params: IdParams,
        body: Type.Object(
          {
            clientMessageId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_:.-]+$' }),
            body: Type.String({ minLength: 1, maxLength: MESSAGE_MAX_CHARS, pattern: VISIBLE }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ message: MessageView, duplicate: Type.Boolean() }),
          201: Type.Object({ message: MessageView, duplicate: Type.Boolean() }),
          401: Err,
          403: Err,
          404: Err,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const sent = await conversations.send(requirePrincipal(request).accountId, {
        conversationId: request.params.id,
        ...request.body,
      })
      reply.status(sent.duplicate ? 200 : 201)
      return sent
    },
  )

  app.post(
    '/v1/conversations/:id/read',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Move my read marker forward (a read receipt for the other members)',
        security,
        params: IdParams,
        body: Type.Object(
          { seq: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ lastReadSeq: Type.Integer() }), 401: Err, 404: Err, ...commonErrors },
      },
    },
    async (request) =>
      conversations.markRead(requirePrincipal(request).accountId, request.params.id, request.body.seq),
  )
}
