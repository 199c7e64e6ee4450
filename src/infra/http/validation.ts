import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler'
import type { FastifyServerOptions } from 'fastify'
import type { TSchema } from 'typebox'

type CompilerOptions = Parameters<ValidatorFactory>[1]

/**
 * Path parameters and query strings arrive as text and must be coerced to their schemas' types.
 * A JSON body already carries types: coercing them accepted `{"role":["admin"]}` as "admin",
 * `{"openToCollaborate":1}` as true and `{"reason":true}` as "true", and acted on them, where a
 * client's mistake should be a 400 that changes nothing (as the socket events already answer).
 * So bodies get an Ajv without coercion, with the same options and shared schemas otherwise.
 */
export function bodiesWithoutCoercion(): NonNullable<FastifyServerOptions['schemaController']> {
  const fromPool = AjvCompiler()
  const buildValidator: ValidatorFactory = (externalSchemas, options) => {
    const coercing = fromPool(externalSchemas, options)
    const strictOptions = { ...options, customOptions: { ...options?.customOptions, coerceTypes: false } }
    const strict = fromPool(externalSchemas, strictOptions as CompilerOptions)
    return (route) => (route.httpPart === 'body' ? strict : coercing)(route)
  }
  return { compilersFactory: { buildValidator } }
}

/**
 * A check of one value against one schema, compiled as the routes compile theirs (same Ajv, same
 * formats): for the commands that take what an HTTP body would, so the two cannot drift apart.
 */
export function schemaCheck(schema: TSchema): (value: unknown) => boolean {
  const validate = AjvCompiler()({}, { customOptions: {} })({ schema })
  return (value) => validate(value) === true
}
