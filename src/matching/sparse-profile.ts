import { LEXICAL_DIMENSIONS } from '../../db/schema/embeddings.js'

/** A stored lexical vector: 1-based bucket → weight. */
export type Buckets = Map<number, number>

/** Reads pgvector's sparsevec text form `{i:v,…}/dims`. */
export function parseSparsevec(literal: string): Buckets {
  const out: Buckets = new Map()
  const body = literal.slice(literal.indexOf('{') + 1, literal.indexOf('}'))
  if (body === '') return out
  for (const entry of body.split(',')) {
    const colon = entry.indexOf(':')
    out.set(Number(entry.slice(0, colon)), Number(entry.slice(colon + 1)))
  }
  return out
}

export function bucketsLiteral(vector: Buckets): string {
  const entries = [...vector].filter(([, w]) => w !== 0).sort(([a], [b]) => a - b)
  return `{${entries.map(([i, w]) => `${i}:${Number(w.toPrecision(6))}`).join(',')}}/${LEXICAL_DIMENSIONS}`
}

export function normalise(vector: Buckets): Buckets {
  let sum = 0
  for (const x of vector.values()) sum += x * x
  if (sum <= 0) return vector
  const inv = 1 / Math.sqrt(sum)
  return new Map([...vector].map(([k, x]) => [k, x * inv]))
}

export function weightedSum(vectors: readonly Buckets[], weights?: readonly number[]): Buckets {
  const out: Buckets = new Map()
  vectors.forEach((vector, i) => {
    const w = weights?.[i] ?? 1
    for (const [k, x] of vector) out.set(k, (out.get(k) ?? 0) + w * x)
  })
  return out
}

/** Keeps the `k` heaviest entries, re-normalised: index limits and query speed both want few terms. */
export function pruneBuckets(vector: Buckets, k: number): Buckets {
  if (vector.size <= k) return vector
  return normalise(new Map([...vector].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k)))
}

export const PROFILE_TERMS = 300

export function centroidOf(vectors: readonly Buckets[]): Buckets {
  return pruneBuckets(normalise(weightedSum(vectors)), PROFILE_TERMS)
}

/** Own centroid (weight 1) plus the co-authors' mean (weight 1): what a researcher's circle works on. */
export function groupCentroidOf(own: Buckets, coauthors: readonly Buckets[]): Buckets {
  if (coauthors.length === 0) return own
  const share = 1 / coauthors.length
  return pruneBuckets(
    normalise(weightedSum([own, ...coauthors], [1, ...coauthors.map(() => share)])),
    PROFILE_TERMS,
  )
}
