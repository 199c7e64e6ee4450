import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requirePrincipal } from '../infra/auth/plugin.js'
import { commonErrors, IdParams } from '../shared/schemas.js'
import type { ResearcherSettingsService } from './settings-service.js'

const err = Type.Ref('ErrorResponse')
const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 })

export const Settings = Type.Object({
  openToCollaborate: Type.Boolean(),
  emphasisedTopicIds: Type.Array(Type.Integer()),
  excludedWorkIds: Type.Array(Type.Integer(), {
    description: 'Works left out of the expertise used in matching',
  }),
})

const SettingsPatch = Type.Object(
  {
    openToCollaborate: Type.Optional(Type.Boolean()),
    emphasisedTopicIds: Type.Optional(Type.Array(Id, { maxItems: 20 })),
    excludedWorkIds: Type.Optional(Type.Array(Id, { maxItems: 1000 })),
  },
  { additionalProperties: false, minProperties: 1 },
)

export const researcherSettingsRoutes: FastifyPluginAsyncTypebox<{
  settings: ResearcherSettingsService
}> = async (app, { settings }) => {
  const errors = { 401: err, 403: err, 404: err, ...commonErrors }

  app.get(
    '/v1/researchers/:id/settings',
    {
      schema: {
        tags: ['researchers'],
        summary: "The claimant's choices for their record",
        params: IdParams,
        response: { 200: Settings, ...errors },
      },
    },
    async (request) => settings.get(requirePrincipal(request), request.params.id),
  )

  app.patch(
    '/v1/researchers/:id/settings',
    {
      schema: {
        tags: ['researchers'],
        summary: 'Claimant only: open to collaborate, topics to emphasise, works to exclude',
        params: IdParams,
        body: SettingsPatch,
        response: { 200: Settings, ...errors },
      },
    },
    async (request) => settings.update(requirePrincipal(request), request.params.id, request.body),
  )
}
