import { queryVector, termCounts } from '../embeddings/lexical.js'
import { termBucket, toSparsevecLiteral } from '../embeddings/sparse.js'
import type { CandidatesRepository } from './candidates-repository.js'

/**
 * A free text weighted exactly like a stored work (same analyser, same document frequencies), so
 * its inner product with a work vector is their cosine. The text itself never enters the df.
 */
export async function lexicalQuery(candidates: CandidatesRepository, text: string): Promise<string | null> {
  const counts = termCounts('', text)
  if (counts.size === 0) return null
  const [df, corpusSize] = await Promise.all([
    candidates.documentFrequencies([...new Set([...counts.keys()].map(termBucket))]),
    candidates.corpusSize(),
  ])
  const vector = queryVector('', text, (term) => df.get(termBucket(term)) ?? 0, corpusSize)
  return vector.size === 0 ? null : toSparsevecLiteral(vector)
}
