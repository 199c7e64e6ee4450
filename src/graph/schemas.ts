import { Type } from 'typebox'

const NodeKind = Type.Union([
  Type.Literal('researcher'),
  Type.Literal('work'),
  Type.Literal('topic'),
  Type.Literal('institution'),
])
const EdgeKind = Type.Union(
  [
    Type.Literal('coauthor'),
    Type.Literal('authored'),
    Type.Literal('about'),
    Type.Literal('studies'),
    Type.Literal('affiliated'),
  ],
  {
    description:
      'coauthor: two researchers (weight = joint works); authored: researcher → work; about: work → topic; ' +
      'studies: researcher → topic (weight = works); affiliated: researcher → institution',
  },
)

export const ResearchGraph = Type.Object({
  centre: Type.String({ description: 'Key of the centre node' }),
  depth: Type.Integer(),
  nodes: Type.Array(
    Type.Object({
      key: Type.String({ description: '"<kind>:<id>", unique in the graph' }),
      kind: NodeKind,
      id: Type.Integer(),
      label: Type.String(),
      distance: Type.Integer({ description: 'Hops from the centre' }),
      closeCollaborator: Type.Optional(Type.Boolean()),
      year: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    }),
    {
      description:
        'Centre first, then its co-authors with close collaborators first, then works, topics, institutions, then the second ring',
    },
  ),
  edges: Type.Array(
    Type.Object({ source: Type.String(), target: Type.String(), kind: EdgeKind, weight: Type.Integer() }),
  ),
  truncated: Type.Boolean({ description: 'Size bounds left part of the neighbourhood out' }),
})

export const GraphQuery = Type.Object({
  depth: Type.Integer({
    minimum: 1,
    maximum: 2,
    default: 1,
    description: '1: direct neighbours; 2: also co-authors of co-authors',
  }),
})
