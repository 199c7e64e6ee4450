import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requireRole } from '../infra/auth/plugin.js'
import { BadRequestError } from '../infra/http/errors.js'
import { type IngestService, InvalidBatchError } from '../ingest/service.js'
import { commonErrors, IdParams } from '../shared/schemas.js'
import { ImportSummary, Work, WorksBatch } from './schemas.js'
import type { WorksService } from './service.js'

export const worksRoutes: FastifyPluginAsyncTypebox<{
  works: WorksService
  ingest: IngestService
  /** The one route that takes large bodies (BODY_LIMIT_BYTES); every other route keeps the app's limit. */
  importBodyLimit: number
}> = async (app, { works, ingest, importBodyLimit }) => {
  app.get(
    '/v1/works/:id',
    {
      schema: {
        tags: ['works'],
        summary: 'A work with its authors and topics',
        params: IdParams,
        response: { 200: Work, 404: Type.Ref('ErrorResponse'), ...commonErrors },
      },
    },
    async (request) => works.get(request.params.id),
  )

  app.post(
    '/v1/works',
    {
      bodyLimit: importBodyLimit,
      // Imports rewrite the catalogue (and who appears as whose co-author): operators only. Checked
      // before the body is read, so nobody else gets a large body parsed and validated.
      onRequest: async (request) => void requireRole(request, 'admin'),
      schema: {
        tags: ['works'],
        summary: 'Admin: push up to 1000 works in OpenAlex shape; all or nothing',
        body: WorksBatch,
        response: {
          200: ImportSummary,
          401: Type.Ref('ErrorResponse'),
          403: Type.Ref('ErrorResponse'),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      try {
        return await ingest.importBatch(request.body.works)
      } catch (error) {
        if (error instanceof InvalidBatchError) {
          throw new BadRequestError('Some works are invalid; nothing was imported', error.rejections)
        }
        throw error
      }
    },
  )
}
