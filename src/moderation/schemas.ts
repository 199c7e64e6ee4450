import { Type } from 'typebox'
import { PageInfo, PageQuery } from '../shared/schemas.js'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()])

export const ReportStatus = Type.Union([
  Type.Literal('open'),
  Type.Literal('dismissed'),
  Type.Literal('upheld'),
])

export const ReportQueueQuery = Type.Object({
  status: Type.Optional(ReportStatus),
  ...PageQuery,
})

export const Report = Type.Object({
  id: Type.Integer(),
  researcher: Type.Object({ id: Type.Integer(), name: Type.String() }),
  /** Null once the reporter deleted their account: the report stays with the record. */
  reporterAccountId: Nullable(Type.Integer()),
  reason: Type.String(),
  status: ReportStatus,
  decidedByAccountId: Nullable(Type.Integer()),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  decisionNote: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
})

export const ReportQueue = Type.Object({ items: Type.Array(Report), page: PageInfo })

export const ReportDecision = Type.Object(
  {
    decision: Type.Union([Type.Literal('dismiss'), Type.Literal('uphold')]),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
)

export const Suspension = Type.Object({
  researcher: Type.Object({ id: Type.Integer(), name: Type.String() }),
  reason: Type.String(),
  suspendedByAccountId: Nullable(Type.Integer()),
  suspendedAt: Type.String({ format: 'date-time' }),
})

export const SuspensionList = Type.Object({ items: Type.Array(Suspension), page: PageInfo })

export const SuspensionBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
)
