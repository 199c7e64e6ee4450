import type { FastifyInstance } from 'fastify'
import { InvalidInputError } from './errors.js'

/**
 * What the route schemas cannot say, checked once for every route (path ids before validation, the
 * rest after it):
 * - no NUL characters in strings: PostgreSQL text cannot hold U+0000, so the write would fail;
 * - only finite numbers: Ajv coerces the strings "Infinity" and "1e999" to a non-finite number and
 *   then skips minimum and maximum (ajv-validator/ajv#2212), so `?limit=Infinity` passed the schema.
 */
export function installInputGuard(app: FastifyInstance): void {
  // Ajv coerces a path id with Number(): "0x10" was record 16, "1e2" record 100 and "1.0" record
  // 1. A record's address has one spelling, its decimal digits.
  app.addHook('preValidation', async (request) => {
    for (const [key, value] of Object.entries((request.params ?? {}) as Record<string, unknown>))
      if (/id$/i.test(key) && typeof value === 'string' && !/^[0-9]+$/.test(value))
        throw new InvalidInputError('params', `/${key}`, 'must be written in decimal digits')
  })
  app.addHook('preHandler', async (request) => {
    for (const [where, value] of [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const problem = findInputProblem(value)
      if (problem) throw new InvalidInputError(where, problem.path, problem.message)
    }
  })
}

/** The first string with a NUL or non-finite number in a validated input; socket payloads use it too. */
export function findInputProblem(root: unknown): { path: string; message: string } | null {
  const stack: [string, unknown][] = [['', root]]
  while (stack.length > 0) {
    const [path, value] = stack.pop()!
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { path, message: 'must not contain NUL characters' }
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return { path, message: 'must be a finite number' }
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000')) return { path, message: 'must not have NUL characters in keys' }
        stack.push([`${path}/${key}`, item])
      }
    }
  }
  return null
}
