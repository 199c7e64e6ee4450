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

export const MergeBody = Type.Object(
  {
    duplicateId: Type.Integer({
      minimum: 1,
      maximum: 2_147_483_647,
      description: 'The record folded into this one; it is gone afterwards',
    }),
  },
  { additionalProperties: false },
)

export const MergeResult = Type.Object({
  researcher: Type.Object({ id: Type.Integer(), name: Type.String() }),
  duplicate: Type.Object({ id: Type.Integer(), name: Type.String(), externalId: Type.String() }),
  /** Works that moved to the survivor. */
  movedWorks: Type.Integer(),
  /** Works both records were listed on: the survivor's authorship stays, the duplicate's goes. */
  sharedWorks: Type.Integer(),
})

export const Merge = Type.Object({
  researcher: Type.Object({ id: Type.Integer(), name: Type.String() }),
  mergedResearcherId: Type.Integer(),
  externalId: Type.String(),
  mergedByAccountId: Nullable(Type.Integer()),
  mergedAt: Type.String({ format: 'date-time' }),
})

export const MergeList = Type.Object({ items: Type.Array(Merge), page: PageInfo })

export const DuplicateGroups = Type.Object({
  items: Type.Array(
    Type.Object({
      orcid: Type.String(),
      records: Type.Array(
        Type.Object({
          id: Type.Integer(),
          name: Type.String(),
          externalId: Type.String(),
          claimed: Type.Boolean(),
          works: Type.Integer(),
        }),
      ),
    }),
  ),
  page: PageInfo,
})

const PairRecord = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  externalId: Type.String(),
  orcid: Nullable(Type.String()),
  claimed: Type.Boolean(),
  works: Type.Integer(),
  institution: Nullable(Type.Object({ id: Type.Integer(), name: Type.String() })),
})

export const LikelyDuplicates = Type.Object({
  items: Type.Array(
    Type.Object({
      records: Type.Array(PairRecord, {
        minItems: 2,
        maxItems: 2,
        description: 'The usual survivor first: claimed, then more works',
      }),
      sharedCoauthors: Type.Integer({ description: 'Co-authors both records have' }),
      sameInstitution: Type.Boolean(),
      topicSimilarity: Nullable(
        Type.Number({ description: 'Cosine of their lexical profiles; null while either has none' }),
      ),
    }),
  ),
  page: PageInfo,
})

export const DistinctParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  otherId: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'A record of someone else' }),
})
