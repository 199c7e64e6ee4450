/**
 * Pure ranking arithmetic, shared by the API and the evaluation commands so that what is measured
 * is what is served. The constants were chosen on the reviewer-match and collab-linkpred sets
 * (see README "Collaborator suggestions").
 */

/** Softmax temperature over a researcher's work similarities: between max (τ→0) and mean (τ→∞). */
export const AFFINITY_TAU = 0.1

/**
 * Affinity of a text to a researcher from the text's similarity to each of their works:
 * Σ s·e^{s/τ} / Σ e^{s/τ}. Max let one stray paper decide and mean diluted specialists; this
 * sat in the middle of a broad optimum (loss 0.214 against 0.243 for max, 0.228 for mean).
 */
export function aggregateAffinity(similarities: readonly number[], tau = AFFINITY_TAU): number {
  if (similarities.length === 0) return 0
  let top = -Infinity
  for (const s of similarities) if (s > top) top = s
  let numerator = 0
  let denominator = 0
  for (const s of similarities) {
    const weight = Math.exp((s - top) / tau)
    numerator += weight * s
    denominator += weight
  }
  return numerator / denominator
}

/** A co-authorship edge: how many works two researchers share and the year of the latest. */
export interface Edge {
  jointWorks: number
  lastYear: number
}

/** Per-year decay of a co-authorship since the last joint work: a dormant link says less. */
export const EDGE_DECAY_PER_YEAR = 0.5

export function edgeStrength(edge: Edge, referenceYear: number): number {
  return edge.jointWorks * EDGE_DECAY_PER_YEAR ** Math.max(0, referenceYear - edge.lastYear)
}

/** Who a researcher's co-authors worked with: z → (c → edge), with deg(z) = size of the inner map. */
export type SecondHop = ReadonlyMap<number, ReadonlyMap<number, Edge>>

export interface GraphScores {
  /** Strength-weighted resource allocation: Σ_z s(a,z)·s(z,c)/deg(z). */
  graph: number
  /**
   * Classic Adamic-Adar, Σ_z 1/ln deg(z), over the co-authors the walk expands (the strongest 50):
   * a component clients may weight. The evaluation's baseline counts every shared co-author.
   */
  adamicAdar: number
}

export function twoHopScores(
  self: number,
  neighbours: ReadonlyMap<number, Edge>,
  secondHop: SecondHop,
  referenceYear: number,
): Map<number, GraphScores> {
  const out = new Map<number, GraphScores>()
  for (const [z, edgeToZ] of neighbours) {
    const ofZ = secondHop.get(z)
    if (!ofZ || ofZ.size === 0) continue
    const first = edgeStrength(edgeToZ, referenceYear) / ofZ.size
    const aa = ofZ.size > 1 ? 1 / Math.log(ofZ.size) : 0
    for (const [c, edgeZC] of ofZ) {
      if (c === self) continue
      const contribution = first * edgeStrength(edgeZC, referenceYear)
      const current = out.get(c)
      if (!current) out.set(c, { graph: contribution, adamicAdar: aa })
      else {
        current.graph += contribution
        current.adamicAdar += aa
      }
    }
  }
  return out
}

export interface SuggestionWeights {
  /** Strength-weighted resource allocation over shared co-authors, as w·ln(1 + 10·x). */
  graph: number
  /** Random walk with restart over the co-author graph (up to three hops), as w·ln(1 + 100·x). */
  walk: number
  /** Cosine of the lexical group centroids (own topics plus co-authors' topics). */
  text: number
  /** Cosine of the dense researcher centroids, when a model is loaded. */
  dense: number
  /** Adamic-Adar over the walked neighbourhood, linear; 0 by default (it adds nothing to graph and walk). */
  adamicAdar: number
  /**
   * Hubness correction as a share of the text weight: text counts as text − hubness·hub(c), where
   * hub(c) is c's mean similarity to their nearest researchers (CSLS, Conneau et al. 2018). Some
   * profiles look similar to everyone; their raw similarity says less about a match.
   */
  hubness: number
  /** Share of the candidate's works on which they are the last of two or more authors, linear. */
  lastAuthor: number
}

/**
 * Chosen on collab-linkpred at T = 2022 and checked at T = 2021 (README "Collaborator suggestions"). The
 * logarithms keep one very strong tie from drowning the text signal; the walk carries most of the
 * weight. Hubness and last-author share were added on top of the others, unchanged; their optimum
 * was flat over hubness 0.2–0.3. The dense weight is a guess (no neural model was available to
 * measure it) and only applies when a model is loaded.
 */
export const DEFAULT_SUGGESTION_WEIGHTS: SuggestionWeights = {
  graph: 0.25,
  walk: 1.26,
  text: 1.4,
  dense: 0.7,
  adamicAdar: 0,
  hubness: 0.25,
  lastAuthor: 0.1,
}

export interface SuggestionComponents {
  graph: number
  walk: number
  text: number
  dense: number | null
  adamicAdar: number
  /** The candidate's hubness (0 while unknown). */
  hubness: number
  lastAuthorShare: number
}

/** The part of the score the co-author graph alone decides: enough to pick whose text to fetch. */
export function graphScore(
  c: Pick<SuggestionComponents, 'graph' | 'walk' | 'adamicAdar'>,
  w: SuggestionWeights,
) {
  return w.graph * Math.log1p(10 * c.graph) + w.walk * Math.log1p(100 * c.walk) + w.adamicAdar * c.adamicAdar
}

/**
 * What links the pair at all: the graph and their topics. A candidate with none of it is not a
 * suggestion, whatever the corrections make of their score.
 */
export function evidenceScore(c: SuggestionComponents, w: SuggestionWeights): number {
  return graphScore(c, w) + w.text * c.text + w.dense * (c.dense ?? 0)
}

/** The evidence, the hubness correction of the text part, and the last-author prior. */
export function suggestionScore(c: SuggestionComponents, w: SuggestionWeights): number {
  return evidenceScore(c, w) - w.text * w.hubness * c.hubness + w.lastAuthor * c.lastAuthorShare
}

export interface ExpertWeights {
  lexical: number
  dense: number
}

/** Lexical alone was measured (loss 0.214); the dense share is unmeasured and applies only with a model. */
export const DEFAULT_EXPERT_WEIGHTS: ExpertWeights = { lexical: 1, dense: 0.5 }

/** Score descending, then id ascending: deterministic and blind to anything but the score. */
export function byScoreThenId(a: { id: number; score: number }, b: { id: number; score: number }): number {
  return b.score - a.score || a.id - b.id
}
