import { LEXICAL_DIMENSIONS } from '../../db/schema/embeddings.js'
import type { SparseVec } from './lexical.js'

/** FNV-1a: a term's bucket must be the same in every process and every release. */
export function termBucket(term: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < term.length; i++) {
    hash ^= term.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0) % LEXICAL_DIMENSIONS
}

/** pgvector's sparsevec text form, `{index:value,…}/dimensions`, indices 1-based and ascending. */
export function toSparsevecLiteral(vector: SparseVec): string {
  const byBucket = new Map<number, number>()
  for (const [term, weight] of vector) {
    const bucket = termBucket(term) + 1
    byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + weight)
  }
  const entries = [...byBucket].filter(([, w]) => w !== 0).sort(([a], [b]) => a - b)
  return `{${entries.map(([i, w]) => `${i}:${Number(w.toPrecision(6))}`).join(',')}}/${LEXICAL_DIMENSIONS}`
}

export function toVectorLiteral(vector: ArrayLike<number>): string {
  return `[${Array.from(vector, (x) => Number(x.toPrecision(7))).join(',')}]`
}
