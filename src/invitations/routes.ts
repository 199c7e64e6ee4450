import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requirePrincipal } from '../infra/auth/plugin.js'
import { InvitationStatus, InvitationView, SendInvitation } from '../realtime/contract.js'
import { commonErrors, IdParams, PageInfo, PageQuery } from '../shared/schemas.js'
import type { Action } from './repository.js'
import type { InvitationsService } from './service.js'

const Err = Type.Ref('ErrorResponse')
const authErrors = { 401: Err, 403: Err, 404: Err, 409: Err, ...commonErrors }
const security = [{ bearerAuth: [] }]

export const invitationsRoutes: FastifyPluginAsyncTypebox<{ invitations: InvitationsService }> = async (
  app,
  { invitations },
) => {
  app.post(
    '/v1/invitations',
    {
      schema: {
        tags: ['invitations'],
        summary: 'Invite a claimed researcher; only a claimed record can invite',
        security,
        body: SendInvitation,
        response: { 201: InvitationView, ...authErrors, 429: Err },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request)
      reply.status(201)
      return invitations.send(principal.accountId, request.body)
    },
  )

  app.get(
    '/v1/invitations',
    {
      schema: {
        tags: ['invitations'],
        summary: 'Invitations I received or sent, newest first',
        security,
        querystring: Type.Object({
          box: Type.Union([Type.Literal('received'), Type.Literal('sent')], { default: 'received' }),
          status: Type.Optional(InvitationStatus),
          ...PageQuery,
        }),
        response: {
          200: Type.Object({ items: Type.Array(InvitationView), page: PageInfo }),
          401: Err,
          ...commonErrors,
        },
      },
    },
    async (request) => invitations.list(requirePrincipal(request).accountId, request.query),
  )

  app.get(
    '/v1/invitations/:id',
    {
      schema: {
        tags: ['invitations'],
        summary: 'One invitation I am a party to',
        security,
        params: IdParams,
        response: { 200: InvitationView, 401: Err, 404: Err, ...commonErrors },
      },
    },
    async (request) => invitations.get(requirePrincipal(request).accountId, request.params.id),
  )

  const actions: [Action, string][] = [
    ['accept', 'Accept (invitee): opens the conversation'],
    ['decline', 'Decline (invitee)'],
    ['withdraw', 'Withdraw (sender)'],
  ]
  for (const [action, summary] of actions) {
    app.post(
      `/v1/invitations/:id/${action}`,
      {
        schema: {
          tags: ['invitations'],
          summary,
          security,
          params: IdParams,
          response: { 200: InvitationView, ...authErrors },
        },
      },
      async (request) => invitations.act(requirePrincipal(request).accountId, request.params.id, action),
    )
  }
}
