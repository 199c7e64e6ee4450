import { Type } from 'typebox'
import { PageInfo } from '../shared/schemas.js'
import { Trust } from '../trust/schemas.js'

export const InstitutionRef = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  ror: Type.Union([Type.String(), Type.Null()]),
  countryCode: Type.Union([Type.String(), Type.Null()]),
})

export const ResearcherProfile = Type.Object({
  id: Type.Integer(),
  externalId: Type.String({
    description: 'The id the record was imported under, e.g. an OpenAlex author id',
  }),
  name: Type.String(),
  orcid: Type.Union([Type.String(), Type.Null()]),
  institution: Type.Union([InstitutionRef, Type.Null()]),
  openToCollaborate: Type.Boolean(),
  claimed: Type.Boolean({ description: 'An account has claimed this record' }),
  suspended: Type.Boolean({
    description: 'An operator took the record out of matching: not suggested, searched, claimed or invited',
  }),
  sameOrcid: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), claimed: Type.Boolean() }), {
    description:
      "Other records with this record's ORCID: the same person, split by the catalogue (at most 20; operators merge them)",
  }),
  trust: Trust,
  counts: Type.Object({
    works: Type.Integer(),
    topics: Type.Integer(),
    closeCollaborators: Type.Integer({ description: 'Co-authors with at least two joint works' }),
    followers: Type.Integer(),
  }),
  topTopics: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), works: Type.Integer() }), {
    description: 'By works, leaving out works the claimant excluded',
  }),
  emphasisedTopics: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() }), {
    description: 'Chosen by the claimant',
  }),
  viewer: Type.Union([Type.Object({ following: Type.Boolean(), isClaimant: Type.Boolean() }), Type.Null()], {
    description: "The caller's relation to the record; null when anonymous",
  }),
})

export const ResearcherWork = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  year: Type.Union([Type.Integer(), Type.Null()]),
  type: Type.Union([Type.String(), Type.Null()]),
  venue: Type.Union([Type.String(), Type.Null()]),
  doi: Type.Union([Type.String(), Type.Null()]),
  position: Type.Integer({ description: 'Place in the byline, 0 = first author' }),
})

export const ResearcherWorksPage = Type.Object({ items: Type.Array(ResearcherWork), page: PageInfo })

export const ResearcherSearchPage = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      orcid: Type.Union([Type.String(), Type.Null()]),
      institutionName: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  page: PageInfo,
})
