import type { FastifyError, FastifyInstance } from 'fastify'
import type { ErrorBody } from '../../shared/schemas.js'
import { concurrentChangeConflict } from '../db/conflicts.js'
import { AppError } from './errors.js'

function body(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } }
}

/** The single error handler: named errors map to their status, the rest become opaque 500s. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      return reply.status(error.statusCode).send(body(error.code, error.message, error.details))
    }
    if ('validation' in error && error.validation) {
      const details = error.validation.map((issue) => ({
        where: error.validationContext,
        path: issue.instancePath || '/',
        message: issue.message,
      }))
      return reply.status(400).send(body('VALIDATION_FAILED', error.message, details))
    }
    const conflict = concurrentChangeConflict(error)
    if (conflict) {
      request.log.warn({ err: error }, 'request lost a race with a concurrent change')
      return reply.status(409).send(body(conflict.code, conflict.message))
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: bad JSON, body too large, wrong media type.
      return reply.status(status).send(body(error.code ?? 'BAD_REQUEST', error.message))
    }
    request.log.error({ err: error }, 'request failed')
    return reply.status(500).send(body('INTERNAL', 'Internal server error'))
  })

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(body('ROUTE_NOT_FOUND', `No route ${request.method} ${request.url}`))
  })
}
