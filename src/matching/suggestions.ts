import { createHash } from 'node:crypto'
import type { Clock } from '../infra/clock.js'
import type { DomainEvents } from '../infra/events.js'
import { NotFoundError } from '../infra/http/errors.js'
import type { SuggestionCacheRepository } from './cache-repository.js'
import type { CandidatesRepository, ResearcherMeta } from './candidates-repository.js'
import { type MetaFilters, passesFilters } from './filters.js'
import type { GraphRepository } from './graph-repository.js'
import type { MatchingProfiles } from './profiles.js'
import {
  byScoreThenId,
  DEFAULT_SUGGESTION_WEIGHTS,
  type SuggestionComponents,
  type SuggestionWeights,
  suggestionScore,
  twoHopScores,
} from './scoring.js'

export interface SuggestionOptions extends MetaFilters {
  limit: number
  /** Co-authors are left out unless asked for: they already know each other. */
  includeCoauthors?: boolean
  excludeIds?: number[]
  weights?: Partial<SuggestionWeights>
}

export interface WorkRef {
  id: number
  title: string
  year: number | null
}

export interface Suggestion {
  researcher: {
    id: number
    name: string
    institution: { id: number; name: string; countryCode: string | null } | null
    openToCollaborate: boolean
    works: number
    lastActiveYear: number | null
  }
  score: number
  components: SuggestionComponents
  /** 1 = co-authors, 2–3 = linked through co-authors, null = further or unreachable. */
  hops: number | null
  explanation: {
    workPairs: { own: WorkRef; theirs: WorkRef; similarity: number }[]
    sharedTopics: { id: number; name: string }[]
    path: { id: number; name: string }[] | null
    signals: { graph: boolean; lexical: boolean; dense: boolean }
  }
}

export interface SuggestionList {
  researcherId: number
  computedAt: string
  cached: boolean
  weights: SuggestionWeights
  items: Suggestion[]
}

export interface SuggestionsSettings {
  /** Researchers found by each kNN source before re-ranking. */
  candidatePool: number
  /** A new suggestion at or above this score raises `suggestion:created`. */
  strongScore: number
  /** Cached lists older than this are recomputed even if nothing changed (the decay moves on). */
  maxAgeMs: number
}

export const DEFAULT_SUGGESTIONS_SETTINGS: SuggestionsSettings = {
  candidatePool: 200,
  strongScore: 0.75,
  maxAgeMs: 24 * 3_600_000,
}

export const DEFAULT_SUGGESTION_LIMIT = 20

/** Ranked candidates with their components, before explanations: what the evaluation measures. */
export interface RankedCandidate {
  id: number
  score: number
  components: SuggestionComponents
  via: number | null
}

export class SuggestionsService {
  constructor(
    private readonly graph: GraphRepository,
    private readonly candidates: CandidatesRepository,
    private readonly cache: SuggestionCacheRepository,
    private readonly profiles: MatchingProfiles,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly denseModelId: string | null,
    private readonly settings: SuggestionsSettings = DEFAULT_SUGGESTIONS_SETTINGS,
  ) {
    profiles.onRefreshed((ids) => this.onProfilesRefreshed(ids))
  }

  async suggest(researcherId: number, options: SuggestionOptions): Promise<SuggestionList> {
    await this.profiles.settled()
    if ((await this.candidates.exists([researcherId])).size === 0)
      throw new NotFoundError('Researcher', researcherId)
    const key = paramsHash(options)
    const cached = await this.cache.get<SuggestionList>(researcherId, key)
    const now = this.clock.now()
    if (cached && !cached.stale && now.getTime() - cached.computedAt.getTime() < this.settings.maxAgeMs)
      return { ...cached.payload, cached: true }
    return this.recompute(researcherId, options, key, cached?.payload ?? null)
  }

  /** The ranking alone, for evaluation: the same candidate generation and scoring as `suggest`. */
  async rank(researcherId: number, options: SuggestionOptions): Promise<RankedCandidate[]> {
    await this.profiles.settled()
    const { ranked } = await this.rankWithMeta(researcherId, options)
    return ranked
  }

  private async recompute(
    researcherId: number,
    options: SuggestionOptions,
    key: string,
    previous: SuggestionList | null,
  ): Promise<SuggestionList> {
    const weights = { ...DEFAULT_SUGGESTION_WEIGHTS, ...options.weights }
    const { ranked, meta, neighbours, hop2 } = await this.rankWithMeta(researcherId, options)
    const items = await this.explain(researcherId, ranked, meta, neighbours, hop2)
    const computedAt = this.clock.now()
    const list: SuggestionList = {
      researcherId,
      computedAt: computedAt.toISOString(),
      cached: false,
      weights,
      items,
    }
    await this.cache.put(researcherId, key, list, computedAt)
    if (previous) {
      const known = new Set(previous.items.map((s) => s.researcher.id))
      for (const item of items) {
        if (item.score >= this.settings.strongScore && !known.has(item.researcher.id))
          this.events.emit('suggestion:created', {
            researcherId,
            suggestedResearcherId: item.researcher.id,
            score: item.score,
          })
      }
    }
    return list
  }

  private async rankWithMeta(researcherId: number, options: SuggestionOptions) {
    const weights = { ...DEFAULT_SUGGESTION_WEIGHTS, ...options.weights }
    const referenceYear = this.clock.now().getUTCFullYear()
    const neighbours = await this.graph.neighbours(researcherId)
    const secondHop = await this.graph.secondHop([...neighbours.keys()])
    const hop2 = twoHopScores(researcherId, neighbours, secondHop, referenceYear)

    const pool = new Set<number>(hop2.keys())
    const textSim = new Map<number, number>()
    const group = await this.candidates.groupCentroid(researcherId)
    if (group) {
      for (const hit of await this.candidates.lexicalNeighbours(
        group,
        'group_centroid',
        this.settings.candidatePool,
      )) {
        pool.add(hit.id)
        textSim.set(hit.id, hit.similarity)
      }
    }
    const denseSim = new Map<number, number>()
    if (this.denseModelId) {
      const hits = await this.candidates.denseResearcherNeighbours(
        researcherId,
        this.denseModelId,
        this.settings.candidatePool,
      )
      for (const hit of hits) {
        pool.add(hit.id)
        denseSim.set(hit.id, hit.similarity)
      }
    }
    if (options.includeCoauthors) for (const id of neighbours.keys()) pool.add(id)
    else for (const id of neighbours.keys()) pool.delete(id)
    pool.delete(researcherId)
    for (const id of options.excludeIds ?? []) pool.delete(id)

    const ids = [...pool]
    if (group) {
      const missing = ids.filter((id) => !textSim.has(id))
      for (const [id, s] of await this.candidates.groupSimilarities(researcherId, missing)) textSim.set(id, s)
    }
    if (this.denseModelId && denseSim.size > 0) {
      const missing = ids.filter((id) => !denseSim.has(id))
      for (const [id, s] of await this.candidates.denseSimilarities(researcherId, missing, this.denseModelId))
        denseSim.set(id, s)
    }
    const meta = await this.candidates.meta(ids)
    const ranked: RankedCandidate[] = []
    for (const id of ids) {
      const m = meta.get(id)
      if (!m || !passesFilters(m, options)) continue
      const g = hop2.get(id)
      const components: SuggestionComponents = {
        graph: g?.graph ?? 0,
        text: textSim.get(id) ?? 0,
        dense: this.denseModelId && denseSim.size > 0 ? (denseSim.get(id) ?? 0) : null,
        adamicAdar: g?.adamicAdar ?? 0,
      }
      const score = suggestionScore(components, weights)
      // Nothing links them and nothing about their topics matches: not a suggestion.
      if (score <= 0) continue
      ranked.push({ id, score, components, via: g?.via ?? null })
    }
    ranked.sort(byScoreThenId)
    return { ranked: ranked.slice(0, options.limit), meta, neighbours, hop2 }
  }

  private async explain(
    researcherId: number,
    ranked: RankedCandidate[],
    meta: Map<number, ResearcherMeta>,
    neighbours: Map<number, unknown>,
    hop2: Map<number, { via: number; graph: number }>,
  ): Promise<Suggestion[]> {
    const ids = ranked.map((r) => r.id)
    const pairs = await this.candidates.bestWorkPairs(researcherId, ids)
    const topics = await this.candidates.sharedTopics(researcherId, ids)
    // Three hops: the candidate co-authored with someone two hops away.
    const farIds = ids.filter((id) => !neighbours.has(id) && !hop2.has(id))
    const bridges = new Map<number, number>()
    for (const { candidate, bridge } of await this.graph.linksBetween(farIds, [...hop2.keys()])) {
      const current = bridges.get(candidate)
      if (current === undefined || hop2.get(bridge)!.graph > hop2.get(current)!.graph)
        bridges.set(candidate, bridge)
    }
    const paths = new Map<number, number[]>()
    for (const r of ranked) {
      if (neighbours.has(r.id)) paths.set(r.id, [researcherId, r.id])
      else if (hop2.has(r.id)) paths.set(r.id, [researcherId, hop2.get(r.id)!.via, r.id])
      else if (bridges.has(r.id)) {
        const bridge = bridges.get(r.id)!
        paths.set(r.id, [researcherId, hop2.get(bridge)!.via, bridge, r.id])
      }
    }
    const names = await this.graph.names([...new Set([...paths.values()].flat())])
    return ranked.map((r) => {
      const m = meta.get(r.id)!
      const path = paths.get(r.id)
      return {
        researcher: {
          id: m.id,
          name: m.name,
          institution:
            m.institutionId !== null
              ? { id: m.institutionId, name: m.institutionName ?? '', countryCode: m.countryCode }
              : null,
          openToCollaborate: m.openToCollaborate,
          works: m.works,
          lastActiveYear: m.lastActiveYear,
        },
        score: r.score,
        components: r.components,
        hops: path ? path.length - 1 : null,
        explanation: {
          workPairs: pairs
            .filter((p) => p.candidateId === r.id)
            .map((p) => ({
              own: { id: p.ownId, title: p.ownTitle, year: p.ownYear },
              theirs: { id: p.theirId, title: p.theirTitle, year: p.theirYear },
              similarity: p.similarity,
            })),
          sharedTopics: topics
            .filter((t) => t.candidateId === r.id)
            .slice(0, 5)
            .map((t) => ({ id: t.id, name: t.name })),
          path: path ? path.map((id) => ({ id, name: names.get(id) ?? '' })) : null,
          signals: {
            graph: r.components.graph > 0,
            lexical: r.components.text > 0,
            dense: r.components.dense !== null,
          },
        },
      }
    })
  }

  /** Lists someone has asked for are recomputed at once, so new strong suggestions are announced. */
  private async onProfilesRefreshed(researcherIds: number[]) {
    await this.cache.markStale(researcherIds)
    const key = paramsHash({ limit: DEFAULT_SUGGESTION_LIMIT })
    for (const id of await this.cache.staleAmong(researcherIds, key)) {
      const cached = await this.cache.get<SuggestionList>(id, key)
      if (cached?.stale) await this.recompute(id, { limit: DEFAULT_SUGGESTION_LIMIT }, key, cached.payload)
    }
  }
}

/** Options that change the answer, in a canonical form: defaults spelled out, undefined dropped. */
export function paramsHash(options: SuggestionOptions): string {
  const full = {
    ...options,
    includeCoauthors: options.includeCoauthors ?? false,
    weights: { ...DEFAULT_SUGGESTION_WEIGHTS, ...options.weights },
  }
  const canonical = JSON.stringify(full, (_key, value) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  )
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22)
}
