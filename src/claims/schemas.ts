import { Type } from 'typebox'
import { PageInfo } from '../shared/schemas.js'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()])

export const Claim = Type.Object({
  id: Type.Integer(),
  researcherId: Type.Integer(),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('approved'),
    Type.Literal('rejected'),
    Type.Literal('released'),
  ]),
  stage: Nullable(Type.Union([Type.Literal('awaiting_email'), Type.Literal('in_review')])),
  proof: Nullable(Type.Union([Type.Literal('orcid'), Type.Literal('email'), Type.Literal('admin')])),
  reviewReason: Nullable(Type.String({ description: 'Why the rules sent the claim to an admin' })),
  createdAt: Type.String({ format: 'date-time' }),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
})

export const ClaimList = Type.Object({ items: Type.Array(Claim) })

export const ClaimBody = Type.Object(
  {
    orcid: Type.Optional(
      Type.String({ minLength: 16, maxLength: 60, description: 'Bare or as https://orcid.org/…' }),
    ),
    email: Type.Optional(
      Type.String({ format: 'email', maxLength: 254, description: "An address at the record's institution" }),
    ),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
  },
  { additionalProperties: false },
)

export const ConfirmBody = Type.Object(
  { code: Type.String({ pattern: '^[0-9]{6}$' }) },
  { additionalProperties: false },
)

export const DecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
)

export const ReviewQueue = Type.Object({
  items: Type.Array(
    Type.Object({
      ...Claim.properties,
      evidence: Type.Object({
        orcid: Nullable(Type.String()),
        email: Nullable(Type.String()),
        text: Nullable(Type.String()),
      }),
      account: Type.Object({ id: Type.Integer(), email: Type.String(), displayName: Type.String() }),
      researcher: Type.Object({ id: Type.Integer(), name: Type.String(), orcid: Nullable(Type.String()) }),
      recordClaimed: Type.Boolean(),
      competingClaims: Type.Integer(),
    }),
  ),
  page: PageInfo,
})

const Domain = Type.String({ pattern: '^(?=.{3,253}$)([a-zA-Z0-9-]{1,63}\\.)+[a-zA-Z]{2,63}$' })
export const DomainsBody = Type.Object(
  { domains: Type.Array(Domain, { maxItems: 50 }) },
  { additionalProperties: false },
)
export const Domains = Type.Object({ institutionId: Type.Integer(), domains: Type.Array(Type.String()) })
