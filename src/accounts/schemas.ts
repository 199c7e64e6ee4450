import { Type } from 'typebox'
import { VISIBLE } from '../shared/schemas.js'

export const RoleSchema = Type.Union([
  Type.Literal('researcher'),
  Type.Literal('programme_officer'),
  Type.Literal('admin'),
])

export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 })
export const Password = Type.String({ minLength: 10, maxLength: 200 })

export const Account = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  createdAt: Type.String({ format: 'date-time' }),
})

export const Me = Type.Object({
  ...Account.properties,
  researcherId: Type.Union([Type.Integer(), Type.Null()], { description: 'The record this account claimed' }),
})

export const Session = Type.Object({
  accessToken: Type.String(),
  accessTokenExpiresAt: Type.String({ format: 'date-time' }),
  refreshToken: Type.String({ description: 'Opaque; works once, a new one comes back with each refresh' }),
  refreshTokenExpiresAt: Type.String({ format: 'date-time' }),
  account: Account,
})

const DisplayName = Type.String({ minLength: 1, maxLength: 200, pattern: VISIBLE })

export const RegisterBody = Type.Object(
  { email: Email, password: Password, displayName: DisplayName },
  { additionalProperties: false },
)
export const AccountPatchBody = Type.Object(
  { displayName: DisplayName },
  { additionalProperties: false, description: 'What an account may change about itself' },
)
export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
)
export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
)
export const RoleBody = Type.Object({ role: RoleSchema }, { additionalProperties: false })
export const PasswordChangeBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Password },
  { additionalProperties: false },
)
export const AccountDeletionBody = Type.Object(
  {
    password: Type.String({ minLength: 1, maxLength: 200, description: 'The current password, asked again' }),
  },
  { additionalProperties: false },
)
export const PasswordResetRequestBody = Type.Object({ email: Email }, { additionalProperties: false })
export const PasswordResetAccepted = Type.Object({ message: Type.String() })
export const PasswordResetBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Password },
  { additionalProperties: false },
)
