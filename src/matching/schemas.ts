import { Type } from 'typebox'
import { PageInfo, VISIBLE } from '../shared/schemas.js'

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 })
const Ids = (max: number, description: string) => Type.Array(Id, { maxItems: max, description })
const Country = Type.String({ pattern: '^[A-Z]{2}$' })
const Year = Type.Integer({ minimum: 1000, maximum: 2200 })

const InstitutionOut = Type.Union([
  Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    countryCode: Type.Union([Type.String(), Type.Null()]),
  }),
  Type.Null(),
])
const WorkRef = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  year: Type.Union([Type.Integer(), Type.Null()]),
})

export const FilterFields = {
  openToCollaborate: Type.Optional(Type.Boolean({ description: 'Only researchers open to collaborate' })),
  institutionIds: Type.Optional(Ids(100, 'Only researchers at these institutions')),
  excludeInstitutionIds: Type.Optional(Ids(100, 'Leave out researchers at these institutions')),
  countries: Type.Optional(
    Type.Array(Country, { maxItems: 50, description: 'Only these countries (ISO alpha-2)' }),
  ),
  excludeCountries: Type.Optional(Type.Array(Country, { maxItems: 50 })),
  minWorks: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  activeSince: Type.Optional(Year),
}

export const SuggestionsQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  includeCoauthors: Type.Boolean({ default: false, description: 'Also list existing co-authors (hop 1)' }),
  ...FilterFields,
  excludeIds: Type.Optional(Ids(500, 'Researchers never to suggest')),
  wGraph: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 100,
      description: 'Weight of ln(1 + 10·graph), resource allocation over shared co-authors (default 0.25)',
    }),
  ),
  wWalk: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 100,
      description: 'Weight of ln(1 + 100·walk), the co-author random walk (default 1.26)',
    }),
  ),
  wText: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 100,
      description: 'Weight of the lexical topic similarity (default 1.4)',
    }),
  ),
  wDense: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 100,
      description: 'Weight of the dense topic similarity (default 0.7)',
    }),
  ),
  wAdamicAdar: Type.Optional(
    Type.Number({ minimum: 0, maximum: 100, description: 'Weight of Adamic-Adar (default 0)' }),
  ),
  wHubness: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 10,
      description:
        'Hubness correction as a share of wText: the text part counts as text − wHubness·hubness (default 0.25)',
    }),
  ),
  wLastAuthor: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 100,
      description: "Weight of the candidate's share of works as last author (default 0.1)",
    }),
  ),
})

const Weights = Type.Object({
  graph: Type.Number(),
  walk: Type.Number(),
  text: Type.Number(),
  dense: Type.Number(),
  adamicAdar: Type.Number(),
  hubness: Type.Number(),
  lastAuthor: Type.Number(),
})

export const SuggestionListResponse = Type.Object({
  researcherId: Type.Integer(),
  computedAt: Type.String({ format: 'date-time' }),
  cached: Type.Boolean(),
  weights: Weights,
  items: Type.Array(
    Type.Object({
      researcher: Type.Object({
        id: Type.Integer(),
        name: Type.String(),
        institution: InstitutionOut,
        openToCollaborate: Type.Boolean(),
        works: Type.Integer(),
        lastActiveYear: Type.Union([Type.Integer(), Type.Null()]),
      }),
      score: Type.Number(),
      components: Type.Object({
        graph: Type.Number({ description: 'Strength-weighted resource allocation over shared co-authors' }),
        walk: Type.Number({
          description: 'Random walk with restart over the co-author graph, up to three hops',
        }),
        text: Type.Number({ description: 'Cosine of lexical group centroids' }),
        dense: Type.Union([Type.Number(), Type.Null()], {
          description: 'Cosine of dense centroids; null without a model',
        }),
        adamicAdar: Type.Number(),
        hubness: Type.Number({
          description:
            "Candidate's mean lexical similarity to their 10 nearest researchers (0 while unknown)",
        }),
        lastAuthorShare: Type.Number({
          description: "Share of the candidate's works on which they are the last of two or more authors",
        }),
      }),
      hops: Type.Union([Type.Integer(), Type.Null()], {
        description: '1–3, or null when further or unreachable',
      }),
      explanation: Type.Object({
        workPairs: Type.Array(Type.Object({ own: WorkRef, theirs: WorkRef, similarity: Type.Number() })),
        sharedTopics: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
        path: Type.Union([Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })), Type.Null()]),
        signals: Type.Object({ graph: Type.Boolean(), lexical: Type.Boolean(), dense: Type.Boolean() }),
      }),
    }),
  ),
})

const Text = Type.String({
  minLength: 1,
  maxLength: 50_000,
  pattern: VISIBLE,
  description: 'Call text, proposal or abstract',
})

const Signals = Type.Object({ lexical: Type.Boolean(), dense: Type.Boolean() })
const Components = Type.Object({ lexical: Type.Number(), dense: Type.Union([Type.Number(), Type.Null()]) })
const Evidence = Type.Array(
  Type.Object({
    id: Type.Integer(),
    title: Type.String(),
    year: Type.Union([Type.Integer(), Type.Null()]),
    similarity: Type.Number(),
  }),
)

export const ExpertSearchBody = Type.Object(
  {
    text: Text,
    k: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
    filters: Type.Object(FilterFields, { default: {}, additionalProperties: false }),
    conflicts: Type.Object(
      {
        applicantIds: Type.Optional(
          Ids(100, 'Applicants: excluded with their recent co-authors and institutions'),
        ),
        coauthorYears: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'Default 3' })),
        excludeApplicantInstitutions: Type.Optional(Type.Boolean({ description: 'Default true' })),
        excludeResearcherIds: Type.Optional(Ids(1000, 'Explicit exclusion list')),
        excludeInstitutionIds: Type.Optional(Ids(1000, 'Explicit exclusion list')),
      },
      { default: {}, additionalProperties: false },
    ),
  },
  { additionalProperties: false },
)

export const ExpertSearchResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      researcher: Type.Object({
        id: Type.Integer(),
        name: Type.String(),
        institution: InstitutionOut,
        works: Type.Integer(),
        lastActiveYear: Type.Union([Type.Integer(), Type.Null()]),
      }),
      score: Type.Number(),
      components: Components,
      evidence: Evidence,
    }),
  ),
  excludedForConflicts: Type.Integer({ description: 'Researchers named by the conflict rules' }),
  signals: Signals,
})

export const AffinityBody = Type.Object(
  { text: Text, researcherIds: Type.Array(Id, { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
)

export const AffinityResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      researcherId: Type.Integer(),
      score: Type.Number(),
      components: Components,
      evidence: Evidence,
    }),
  ),
  signals: Signals,
})

export const DismissalParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'The claimed record' }),
  candidateId: Type.Integer({
    minimum: 1,
    maximum: 2_147_483_647,
    description: 'The record not to suggest again',
  }),
})

export const DismissalState = Type.Object({
  researcherId: Type.Integer({ description: 'The candidate' }),
  dismissed: Type.Boolean(),
})

export const DismissedPage = Type.Object({
  items: Type.Array(
    Type.Object({
      researcherId: Type.Integer(),
      name: Type.String(),
      institutionName: Type.Union([Type.String(), Type.Null()]),
      dismissedAt: Type.String({ format: 'date-time' }),
    }),
  ),
  page: PageInfo,
})
