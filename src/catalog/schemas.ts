import { Type } from 'typebox'
import { PageInfo, PageQuery } from '../shared/schemas.js'

export const Institution = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  ror: Type.Union([Type.String(), Type.Null()]),
  countryCode: Type.Union([Type.String(), Type.Null()]),
  researchers: Type.Integer({ description: 'Author records whose current institution this is' }),
})

export const Topic = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  works: Type.Integer({ description: 'Works tagged with this topic' }),
})

export const NameQuery = Type.Object({
  q: Type.String({ minLength: 2, maxLength: 200, description: 'Part of the name, any case' }),
  ...PageQuery,
})

export const InstitutionPage = Type.Object({ items: Type.Array(Institution), page: PageInfo })
export const TopicPage = Type.Object({ items: Type.Array(Topic), page: PageInfo })
