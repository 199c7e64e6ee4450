import { type Edge, edgeStrength } from './scoring.js'

/**
 * A truncated random walk with restart over the co-author graph, computed a step at a time so the
 * caller can fetch the edges of each frontier: P(a, c) = Σ_k α^k (W^k)[a, c], W row-normalised by
 * edge strength. Two hops alone (Adamic-Adar, resource allocation) say nothing about people three
 * hops away and little about how strongly two groups are tied; the walk weighs every path.
 */
export interface WalkSettings {
  steps: number
  /** Weight of step k is alpha^k: longer paths say less. */
  alpha: number
  /** Only the heaviest frontier nodes spread further: hubs would otherwise pull in most of the graph. */
  frontier: number
}

/**
 * A frontier of 50 ranked as well as 200 on collab-linkpred (R@10 0.0756 against 0.0759, MRR
 * 0.0895 against 0.0887) and made computed lists about 40 % faster at 100k works: the third
 * step's edges were the largest read.
 */
export const DEFAULT_WALK: WalkSettings = { steps: 3, alpha: 0.5, frontier: 50 }

export interface WalkState {
  /** Accumulated walk mass per reached researcher. */
  mass: Map<number, number>
  /** Hops at which each researcher was first reached, and from whom the most mass came then. */
  hops: Map<number, number>
  via: Map<number, number>
  /** Mass on the current step, the next frontier. */
  current: Map<number, number>
}

export function startWalk(self: number): WalkState {
  return { mass: new Map(), hops: new Map([[self, 0]]), via: new Map(), current: new Map([[self, 1]]) }
}

/** The frontier nodes to expand next: the heaviest ones, ties by id. */
export function frontierOf(state: WalkState, settings: WalkSettings): number[] {
  return [...state.current]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, settings.frontier)
    .map(([id]) => id)
}

/** Spreads the frontier's mass over its edges (`edges` must hold every frontier node's edges). */
export function walkStep(
  state: WalkState,
  frontier: readonly number[],
  edges: ReadonlyMap<number, ReadonlyMap<number, Edge>>,
  step: number,
  settings: WalkSettings,
  referenceYear: number,
): WalkState {
  const next = new Map<number, number>()
  const best = new Map<number, { from: number; share: number }>()
  for (const u of frontier) {
    const ofU = edges.get(u)
    const m = state.current.get(u) ?? 0
    if (!ofU || m <= 0) continue
    let total = 0
    for (const e of ofU.values()) total += edgeStrength(e, referenceYear)
    if (total <= 0) continue
    for (const [v, e] of ofU) {
      const share = (m * edgeStrength(e, referenceYear)) / total
      next.set(v, (next.get(v) ?? 0) + share)
      const b = best.get(v)
      if (!b || share > b.share || (share === b.share && u < b.from)) best.set(v, { from: u, share })
    }
  }
  const mass = new Map(state.mass)
  const hops = new Map(state.hops)
  const via = new Map(state.via)
  const factor = settings.alpha ** step
  for (const [v, m] of next) {
    mass.set(v, (mass.get(v) ?? 0) + factor * m)
    if (!hops.has(v)) {
      hops.set(v, step)
      via.set(v, best.get(v)!.from)
    }
  }
  return { mass, hops, via, current: next }
}

/** The walk's path from the start to `id` through the first-reaching predecessors, or null. */
export function pathTo(state: WalkState, id: number): number[] | null {
  if (!state.hops.has(id)) return null
  const path = [id]
  let at = id
  while (state.hops.get(at)! > 0) {
    at = state.via.get(at)!
    path.unshift(at)
  }
  return path
}
