import { createHash } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Principal } from '../infra/auth/tokens.js'
import { type Clock, DAY_MS } from '../infra/clock.js'
import type { DomainEvents } from '../infra/events.js'
import { ForbiddenError, NotFoundError } from '../infra/http/errors.js'
import type { SuggestionCacheRepository } from './cache-repository.js'
import type {
  CandidatesRepository,
  Explanations,
  LexicalHit,
  ResearcherMeta,
} from './candidates-repository.js'
import type { DismissalsRepository } from './dismissals-repository.js'
import { hasMetaFilters, type MetaFilters } from './filters.js'
import type { GraphRepository } from './graph-repository.js'
import type { MatchingProfiles } from './profiles.js'
import { onePerPerson, orcidsOf } from './same-person.js'
import {
  byScoreThenId,
  DEFAULT_SUGGESTION_WEIGHTS,
  type Edge,
  evidenceScore,
  graphScore,
  type SuggestionComponents,
  type SuggestionWeights,
  suggestionScore,
  twoHopScores,
} from './scoring.js'
import { DEFAULT_WALK, frontierOf, pathTo, startWalk, type WalkSettings, walkStep } from './walk.js'

export interface SuggestionOptions extends MetaFilters {
  limit: number
  /** Co-authors are left out unless asked for: they already know each other. */
  includeCoauthors?: boolean
  excludeIds?: number[]
  weights?: Partial<SuggestionWeights>
}

/** What the stored pool depends on; every other option only picks from it. */
type PoolOptions = Pick<SuggestionOptions, 'includeCoauthors' | 'weights'>

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
  /**
   * Researchers found by each kNN source before re-ranking. Fixed, not raised with a request's
   * limit: the stored pool serves every list length, so its content must not depend on which
   * request happened to compute it.
   */
  candidatePool: number
  /** A new suggestion at or above this score raises `suggestion:created`. */
  strongScore: number
  /** Cached lists older than this are recomputed even if nothing changed (the decay moves on). */
  maxAgeMs: number
  /** Graph-reached candidates, best first, whose text and dense similarities are fetched. */
  graphPool: number
  /** Rankings with other than the default weights kept per researcher, the newest ones. */
  customRankings: number
  walk: WalkSettings
}

export const DEFAULT_SUGGESTIONS_SETTINGS: SuggestionsSettings = {
  // 50 and 200 rank alike on collab-linkpred (MRR within 0.5 %); the sparse kNN is the costliest
  // statement of a computed list and its cost grows with ef_search.
  candidatePool: 50,
  strongScore: 1.75,
  maxAgeMs: DAY_MS,
  graphPool: 300,
  customRankings: 3,
  walk: DEFAULT_WALK,
}

export const DEFAULT_SUGGESTION_LIMIT = 20

/** Ranked candidates with their components, before explanations: what the evaluation measures. */
export interface RankedCandidate {
  id: number
  score: number
  components: SuggestionComponents
}

/**
 * A researcher's whole candidate pool, scored, before filters and explanations: what is stored.
 * Filters, exclusions and the list length only pick from it, so every such request is served from
 * one stored ranking; only weights and `includeCoauthors` change the pool and need another.
 */
interface StoredRanking {
  computedAt: string
  weights: SuggestionWeights
  /** Best first, each with the walk's path to it (researcher ids from the owner on). */
  candidates: StoredCandidate[]
}

/** What explains a candidate apart from the path's names: fixed until the ranking is recomputed. */
type Evidence = Pick<Suggestion['explanation'], 'workPairs' | 'sharedTopics'>

/**
 * The best candidates carry their evidence (see EVIDENCE_AHEAD); the rest get it when picked.
 * `unclaimedPerson`: the candidate has an ORCID and no record of theirs was claimed when ranked.
 */
type StoredCandidate = RankedCandidate & {
  path: number[] | null
  evidence?: Evidence
  unclaimedPerson?: true
}

/**
 * Candidates whose evidence is stored with the ranking: two default lists' worth, so a list and
 * most filtered ones need only the candidates' records and the path names when served.
 */
const EVIDENCE_AHEAD = 2 * DEFAULT_SUGGESTION_LIMIT

export class SuggestionsService {
  /** Default lists computed in the background, by researcher (see `warm`). */
  private readonly warming = new Map<number, Promise<void>>()

  constructor(
    private readonly graph: GraphRepository,
    private readonly candidates: CandidatesRepository,
    private readonly cache: SuggestionCacheRepository,
    private readonly dismissals: DismissalsRepository,
    private readonly profiles: MatchingProfiles,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly denseModelId: string | null,
    private readonly settings: SuggestionsSettings = DEFAULT_SUGGESTIONS_SETTINGS,
    private readonly log: Pick<FastifyBaseLogger, 'warn'> = { warn: () => {} },
  ) {
    profiles.onRefreshed((ids) => this.onProfilesRefreshed(ids))
    events.on('claim:decided', ({ researcherId, status }) => {
      if (status === 'approved') this.warm(researcherId)
    })
  }

  /**
   * Computes a newly claimed record's default list in the background: only the claimant may ask
   * for it, and they are likely to ask soon. Once cached, onProfilesRefreshed keeps it current.
   */
  private warm(researcherId: number) {
    if (this.warming.has(researcherId)) return
    const task = this.cachedOrComputed(researcherId, { limit: DEFAULT_SUGGESTION_LIMIT })
      .then(
        () => {},
        (error: unknown) =>
          this.log.warn(
            { researcherId, err: error instanceof Error ? error.message : String(error) },
            'computing suggestions for a new claim failed',
          ),
      )
      .finally(() => this.warming.delete(researcherId))
    this.warming.set(researcherId, task)
  }

  /** Resolves once no background computation runs, so none outlives the app or its database. */
  async idle(): Promise<void> {
    while (this.warming.size > 0) await Promise.all(this.warming.values())
  }

  async suggest(researcherId: number, options: SuggestionOptions): Promise<SuggestionList> {
    if ((await this.candidates.exists([researcherId])).size === 0)
      throw new NotFoundError('Researcher', researcherId)
    return this.cachedOrComputed(researcherId, options)
  }

  private async cachedOrComputed(researcherId: number, options: SuggestionOptions): Promise<SuggestionList> {
    await this.profiles.settled()
    const key = rankingKey(options)
    const [cached, dismissed] = await Promise.all([
      this.cache.get<StoredRanking>(researcherId, key),
      this.dismissals.ids(researcherId),
    ])
    const now = this.clock.now()
    const fresh =
      cached && !cached.stale && now.getTime() - cached.computedAt.getTime() < this.settings.maxAgeMs
    let ranking = fresh
      ? cached.payload
      : await this.recompute(researcherId, options, key, cached?.payload ?? null, dismissed)
    const picking = { ...options, excludeIds: [...(options.excludeIds ?? []), ...dismissed] }
    let picked = await this.select(researcherId, ranking.candidates, picking, true)
    let served = Boolean(fresh)
    if (served && claimedSinceRanked(picked)) {
      // A person on the list has since claimed a record: one entry per person then means that
      // record, where invitations reach them, and the stored one may be another of theirs.
      ranking = await this.recompute(researcherId, options, key, ranking, dismissed)
      picked = await this.select(researcherId, ranking.candidates, picking, true)
      served = false
    }
    const { ranked, meta, explanations } = picked
    return {
      researcherId,
      computedAt: ranking.computedAt,
      cached: served,
      weights: ranking.weights,
      items: await this.explain(researcherId, ranked, meta, explanations),
    }
  }

  /**
   * What the API serves: a researcher's suggestions are theirs. They reflect the record's private
   * settings (excluded works, emphasised topics) and cost real work to compute, so only the
   * account that claimed the record may ask.
   */
  async suggestForClaimant(principal: Principal, researcherId: number, options: SuggestionOptions) {
    const claimant = await this.candidates.claimantOf(researcherId)
    if (claimant === undefined) throw new NotFoundError('Researcher', researcherId)
    if (claimant !== principal.accountId)
      throw new ForbiddenError('Only the account that claimed this record sees its suggestions')
    // The list the claim started may be nearly done: computing it again would only wait longer.
    await this.warming.get(researcherId)
    return this.cachedOrComputed(researcherId, options)
  }

  /**
   * The ranking alone, for evaluation: the same candidate generation and scoring as `suggest`, but
   * the whole scored pool, best first. A list is the head of that pool; a metric such as MRR looks
   * past it, and cutting the pool there would count every later candidate as unranked.
   */
  async rank(researcherId: number, options: PoolOptions = {}): Promise<RankedCandidate[]> {
    await this.profiles.settled()
    const { candidates } = await this.rankCandidates(researcherId, options)
    const { ranked } = await this.select(researcherId, candidates, { limit: candidates.length }, false)
    return ranked
  }

  /** Scores the pool afresh and stores it; a new strong candidate near the top is announced. */
  private async recompute(
    researcherId: number,
    options: PoolOptions,
    key: string,
    previous: StoredRanking | null,
    /** The claimant's dismissals, as the caller already read them. */
    dismissedIds: readonly number[],
  ): Promise<StoredRanking> {
    const ranking = await this.rankCandidates(researcherId, options)
    const ahead = ranking.candidates.slice(0, EVIDENCE_AHEAD)
    const found = await this.candidates.details(
      researcherId,
      [],
      ahead.map((c) => c.id),
      [],
    )
    for (const c of ahead) c.evidence = evidenceOf(found, c.id)
    await this.cache.put(researcherId, key, ranking, new Date(ranking.computedAt))
    if (!DEFAULT_RANKING_KEYS.includes(key))
      await this.cache.evict(researcherId, [...DEFAULT_RANKING_KEYS, key], this.settings.customRankings - 1)
    if (previous) {
      // The head of the list the claimant sees: someone they dismissed is never announced.
      const dismissed = new Set(dismissedIds)
      const head = (r: StoredRanking) =>
        r.candidates.filter((c) => !dismissed.has(c.id)).slice(0, DEFAULT_SUGGESTION_LIMIT)
      const known = new Set(head(previous).map((c) => c.id))
      const strong = head(ranking).filter((c) => c.score >= this.settings.strongScore && !known.has(c.id))
      // Nor is a suspended record, which no list serves.
      const suspended = await this.candidates.suspendedAmong(strong.map((c) => c.id))
      for (const c of strong)
        if (!suspended.has(c.id))
          this.events.emit('suggestion:created', {
            researcherId,
            suggestedResearcherId: c.id,
            score: c.score,
          })
    }
    return ranking
  }

  /**
   * Scores every candidate the kNN searches and the walk reach. Depends on the weights and
   * `includeCoauthors` only: filters and exclusions are applied when a list is picked from it.
   */
  private async rankCandidates(researcherId: number, options: PoolOptions): Promise<StoredRanking> {
    const weights = { ...DEFAULT_SUGGESTION_WEIGHTS, ...options.weights }
    const computedAt = this.clock.now()
    const referenceYear = computedAt.getUTCFullYear()
    // The kNN searches do not depend on the walk: both run at once, on separate connections.
    const [{ walk, edges }, found] = await Promise.all([
      this.walk(researcherId, referenceYear),
      this.candidates.neighboursOf(researcherId, this.denseModelId, this.settings.candidatePool),
    ])
    const neighbours = edges.get(researcherId) ?? new Map<number, Edge>()
    const hop2 = twoHopScores(researcherId, neighbours, edges, referenceYear)

    const excluded = new Set<number>([researcherId])
    if (!options.includeCoauthors) for (const id of neighbours.keys()) excluded.add(id)
    const graphComponents = (id: number) => ({
      graph: hop2.get(id)?.graph ?? 0,
      walk: walk.mass.get(id) ?? 0,
      adamicAdar: hop2.get(id)?.adamicAdar ?? 0,
    })
    // Text is fetched for the graph's best candidates only: a walk can reach thousands.
    const pool = new Set<number>(
      [...new Set([...walk.mass.keys(), ...hop2.keys()])]
        .filter((id) => !excluded.has(id))
        .map((id) => ({ id, score: graphScore(graphComponents(id), weights) }))
        .filter((c) => c.score > 0)
        .sort(byScoreThenId)
        .slice(0, this.settings.graphPool)
        .map((c) => c.id),
    )
    const textSim = new Map<number, LexicalHit>()
    for (const hit of found.lexical ?? []) {
      if (excluded.has(hit.id)) continue
      pool.add(hit.id)
      textSim.set(hit.id, hit)
    }
    const denseSim = new Map<number, number>()
    for (const hit of found.dense) {
      if (excluded.has(hit.id)) continue
      pool.add(hit.id)
      denseSim.set(hit.id, hit.similarity)
    }
    if (options.includeCoauthors) for (const id of neighbours.keys()) if (!excluded.has(id)) pool.add(id)

    const ids = [...pool]
    const useDense = this.denseModelId !== null && denseSim.size > 0
    // Separate statements at once: as one UNION the planner chose a parallel plan, slower on a busy
    // machine. The identities find, by ORCID, the researcher's own and co-authors' other records.
    const [identities, lexical, dense] = await Promise.all([
      this.candidates.identitiesOf([...new Set([researcherId, ...neighbours.keys(), ...ids])]),
      found.lexical
        ? this.candidates.groupSimilarities(
            researcherId,
            ids.filter((id) => !textSim.has(id)),
          )
        : new Map<number, LexicalHit>(),
      useDense
        ? this.candidates.denseSimilarities(
            researcherId,
            ids.filter((id) => !denseSim.has(id)),
            this.denseModelId!,
          )
        : new Map<number, number>(),
    ])
    for (const [id, s] of lexical) textSim.set(id, s)
    for (const [id, s] of dense) denseSim.set(id, s)
    const scored: RankedCandidate[] = []
    for (const id of ids) {
      const text = textSim.get(id)
      const components: SuggestionComponents = {
        ...graphComponents(id),
        text: text?.similarity ?? 0,
        dense: useDense ? (denseSim.get(id) ?? 0) : null,
        hubness: text?.hubness ?? 0,
        lastAuthorShare: text?.lastAuthorShare ?? 0,
      }
      // Nothing links them and nothing about their topics matches: not a suggestion.
      if (evidenceScore(components, weights) > 0)
        scored.push({ id, score: suggestionScore(components, weights), components })
    }
    scored.sort(byScoreThenId)
    const leaveOut = orcidsOf(options.includeCoauthors ? [researcherId] : excluded, identities)
    return {
      computedAt: computedAt.toISOString(),
      weights,
      candidates: onePerPerson(scored, identities, leaveOut).map((c) => ({
        ...c,
        path: pathTo(walk, c.id),
        ...(identities.get(c.id)?.personClaimed === false ? { unclaimedPerson: true as const } : {}),
      })),
    }
  }

  /**
   * The first `limit` candidates that pass the filters, and with `explain` the explanations of the
   * likely ones fetched with their records. Without filters those are the first ones, so one
   * statement serves both; with filters one statement finds them, however deep in the ranking.
   */
  private async select(
    researcherId: number,
    candidates: StoredCandidate[],
    options: SuggestionOptions,
    explain: boolean,
  ) {
    const excluded = new Set(options.excludeIds)
    const scored = excluded.size > 0 ? candidates.filter((c) => !excluded.has(c.id)) : candidates
    if (hasMetaFilters(options)) {
      const records = await this.candidates.firstPassing(
        scored.map((c) => c.id),
        options,
        options.limit,
      )
      const byId = new Map(scored.map((c) => [c.id, c]))
      return {
        ranked: records.map((m) => byId.get(m.id)!),
        meta: new Map(records.map((m) => [m.id, m])),
        explanations: null,
      }
    }
    // Records are still read: a candidate whose record was removed since the ranking is skipped.
    const meta = new Map<number, ResearcherMeta>()
    const ranked: StoredCandidate[] = []
    let explanations: (Explanations & { explained: Set<number> }) | null = null
    const chunk = Math.max(options.limit * 2, 20)
    for (let i = 0; i < scored.length && ranked.length < options.limit; i += chunk) {
      const slice = scored.slice(i, i + chunk)
      let records: Map<number, ResearcherMeta>
      if (explain && i === 0) {
        const likely = slice.slice(0, options.limit)
        const unexplained = likely.filter((r) => !r.evidence).map((r) => r.id)
        const { meta: m, ...rest } = await this.candidates.details(
          researcherId,
          slice.map((r) => r.id),
          unexplained,
          pathNodes(likely),
        )
        records = m
        explanations = { ...rest, explained: new Set(unexplained) }
      } else
        records = await this.candidates.meta(
          slice.map((r) => r.id),
          true,
        )
      for (const r of slice) {
        const m = records.get(r.id)
        if (!m || ranked.length >= options.limit) continue
        meta.set(r.id, m)
        ranked.push(r)
      }
    }
    return { ranked, meta, explanations }
  }

  /** The walk over the co-author graph; its first two steps' edges come in one statement. */
  private async walk(researcherId: number, referenceYear: number) {
    const settings = this.settings.walk
    const around = await this.graph.edgesAround(researcherId, settings.frontier, referenceYear)
    // Only the frontiers' edges enter `edges`, as the two-hop scores read every entry.
    const edges = new Map<number, Map<number, Edge>>()
    let walk = startWalk(researcherId)
    for (let step = 1; step <= settings.steps; step++) {
      const frontier = frontierOf(walk, settings)
      const missing = frontier.filter((id) => !edges.has(id))
      for (const id of missing) if (around.has(id)) edges.set(id, around.get(id)!)
      const fetch = missing.filter((id) => !edges.has(id))
      for (const [id, e] of await this.graph.edgesOf(fetch)) edges.set(id, e)
      for (const id of fetch) if (!edges.has(id)) edges.set(id, new Map())
      walk = walkStep(walk, frontier, edges, step, settings, referenceYear)
    }
    return { walk, edges }
  }

  private async explain(
    researcherId: number,
    ranked: StoredCandidate[],
    meta: Map<number, ResearcherMeta>,
    fetched: (Explanations & { explained: Set<number> }) | null,
  ): Promise<Suggestion[]> {
    const evidence = new Map<number, Evidence>()
    for (const r of ranked) {
      if (r.evidence) evidence.set(r.id, r.evidence)
      else if (fetched?.explained.has(r.id)) evidence.set(r.id, evidenceOf(fetched, r.id))
    }
    const names = new Map(fetched?.names)
    const unexplained = ranked.filter((r) => !evidence.has(r.id)).map((r) => r.id)
    const unnamed = pathNodes(ranked).filter((id) => !names.has(id))
    if (unexplained.length > 0 || unnamed.length > 0) {
      const more = await this.candidates.details(researcherId, [], unexplained, unnamed)
      for (const id of unexplained) evidence.set(id, evidenceOf(more, id))
      for (const [id, name] of more.names) names.set(id, name)
    }
    return ranked.map((r) => {
      const m = meta.get(r.id)!
      const path = r.path
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
          ...evidence.get(r.id)!,
          path: path ? path.map((id) => ({ id, name: names.get(id) ?? '' })) : null,
          signals: {
            graph: r.components.graph > 0 || r.components.walk > 0,
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
    const key = rankingKey({})
    for (const id of await this.cache.staleAmong(researcherIds, key)) {
      const cached = await this.cache.get<StoredRanking>(id, key)
      if (cached?.stale) await this.recompute(id, {}, key, cached.payload, await this.dismissals.ids(id))
    }
  }
}

/** The rankings every record may keep: the default weights, with and without its co-authors. */
const DEFAULT_RANKING_KEYS = [rankingKey({}), rankingKey({ includeCoauthors: true })]

/** Whether a picked candidate was nobody's claimed record when ranked and their person is claimed now. */
function claimedSinceRanked({
  ranked,
  meta,
}: {
  ranked: StoredCandidate[]
  meta: Map<number, ResearcherMeta>
}) {
  return ranked.some((c) => c.unclaimedPerson && meta.get(c.id)?.personClaimed)
}

function evidenceOf(found: Explanations, candidateId: number): Evidence {
  return {
    workPairs: found.pairs
      .filter((p) => p.candidateId === candidateId)
      .map((p) => ({
        own: { id: p.ownId, title: p.ownTitle, year: p.ownYear },
        theirs: { id: p.theirId, title: p.theirTitle, year: p.theirYear },
        similarity: p.similarity,
      })),
    sharedTopics: found.topics
      .filter((t) => t.candidateId === candidateId)
      .slice(0, 5)
      .map((t) => ({ id: t.id, name: t.name })),
  }
}

/** Everyone on the walk's paths to these candidates, whose names the explanations show. */
function pathNodes(candidates: StoredCandidate[]): number[] {
  return [...new Set(candidates.flatMap((c) => c.path ?? []))]
}

/** The options that change the stored ranking, in a canonical form: defaults spelled out. */
function rankingKey(options: PoolOptions): string {
  const full = {
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
