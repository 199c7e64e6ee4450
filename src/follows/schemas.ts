import { Type } from 'typebox'
import { PageInfo } from '../shared/schemas.js'

export const FollowState = Type.Object({
  researcherId: Type.Integer(),
  following: Type.Boolean(),
  followers: Type.Integer(),
})

export const FollowersPage = Type.Object({
  items: Type.Array(
    Type.Object({
      displayName: Type.String(),
      researcherId: Type.Union([Type.Integer(), Type.Null()], {
        description: "The follower's own record, if claimed",
      }),
      followedAt: Type.String({ format: 'date-time' }),
    }),
  ),
  page: PageInfo,
})

export const FollowingPage = Type.Object({
  items: Type.Array(
    Type.Object({
      researcherId: Type.Integer(),
      name: Type.String(),
      institutionName: Type.Union([Type.String(), Type.Null()]),
      followedAt: Type.String({ format: 'date-time' }),
    }),
  ),
  page: PageInfo,
})
