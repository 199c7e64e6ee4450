import { Type } from 'typebox'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()])

export const Work = Type.Object({
  id: Type.Integer(),
  externalId: Type.String(),
  doi: Nullable(Type.String()),
  title: Type.String(),
  abstract: Nullable(Type.String()),
  year: Nullable(Type.Integer()),
  type: Nullable(Type.String()),
  venue: Nullable(Type.String()),
  authors: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), position: Type.Integer() })),
  topics: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), score: Type.Number() })),
})

/** Loose on purpose: the importer validates each work and names what is wrong with it. */
export const WorksBatch = Type.Object({
  works: Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1, maxItems: 1000 }),
})

export const ImportSummary = Type.Object({
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
  rejections: Type.Array(Type.Object({ at: Type.Integer(), reason: Type.String() })),
})
