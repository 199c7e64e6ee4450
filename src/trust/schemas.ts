import { Type } from 'typebox'
import { VISIBLE } from '../shared/schemas.js'

export const VerificationLevelSchema = Type.Union(
  [Type.Literal('L0'), Type.Literal('L1'), Type.Literal('L2'), Type.Literal('L3')],
  {
    description: 'L0 name only, L1 persistent id, L2 claimed with proof, L3 verified by an admin',
  },
)

export const Trust = Type.Object({
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  label: Type.Union([
    Type.Literal('Unverified'),
    Type.Literal('Basic'),
    Type.Literal('Verified'),
    Type.Literal('Trusted'),
  ]),
  verificationLevel: VerificationLevelSchema,
})

export const ReportBody = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 2000, pattern: VISIBLE }) },
  { additionalProperties: false },
)
