import { type Static, Type } from 'typebox'

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse', description: 'Every 4xx and 5xx answer has this shape' },
)
export type ErrorBody = Static<typeof ErrorResponse>

/** The error answers every route can give, so each route's schema lists all its codes. */
export const commonErrors = {
  400: Type.Ref('ErrorResponse'),
  500: Type.Ref('ErrorResponse'),
} as const

/**
 * A pattern for "not blank": some character that shows. `\S` alone let through a name or reason
 * made only of zero-width spaces, joiners or soft hyphens, which reads as empty.
 */
export const VISIBLE = '[^\\s\\u00AD\\u200B-\\u200D\\u2060]'

export const IdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Numeric record id' }),
})

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
}

export const PageInfo = Type.Object({
  limit: Type.Integer(),
  offset: Type.Integer(),
  total: Type.Integer(),
})
