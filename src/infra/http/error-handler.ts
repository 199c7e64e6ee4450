import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
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

const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    message: 'The request took too long to arrive',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'HEADERS_TOO_LARGE',
    message: 'The request headers are too large',
  },
}
const MALFORMED = {
  status: 400,
  code: 'MALFORMED_REQUEST',
  message: 'The request is not valid HTTP (e.g. raw non-ASCII bytes in the URL)',
}

/**
 * Requests Node's HTTP parser refuses never reach a route or the error handler; Fastify answers
 * them on the socket. This answers in the service's error shape, as fastify's default does in its
 * own (same statuses, then the connection is closed).
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const { status, code, message } = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED
  const json = JSON.stringify(body(code, message))
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${json}`,
    )
  socket.destroy(error)
}
