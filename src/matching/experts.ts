import { toVectorLiteral } from '../embeddings/sparse.js'
import type { Clock } from '../infra/clock.js'
import type { Embedder } from '../infra/embedder/embedder.js'
import { BadRequestError, NotFoundError } from '../infra/http/errors.js'
import type { CandidatesRepository, ResearcherMeta } from './candidates-repository.js'
import type {
  CandidateLimits,
  ExpertsRepository,
  QueryVectors,
  ScoredResearcher,
  WorkScore,
} from './experts-repository.js'
import { type MetaFilters, passesFilters } from './filters.js'
import type { GraphRepository } from './graph-repository.js'
import type { MatchingProfiles } from './profiles.js'
import { lexicalQuery } from './query-text.js'
import { onePerPerson } from './same-person.js'
import { aggregateAffinity, byScoreThenId, DEFAULT_EXPERT_WEIGHTS, type ExpertWeights } from './scoring.js'

export interface Conflicts {
  /** Applicants: they, their recent co-authors and (optionally) people at their institutions are left out. */
  applicantIds?: number[]
  /** Co-authorship within this many years counts as a conflict. */
  coauthorYears?: number
  excludeApplicantInstitutions?: boolean
  excludeResearcherIds?: number[]
  excludeInstitutionIds?: number[]
}

export interface ExpertAffinity {
  researcherId: number
  score: number
  components: { lexical: number; dense: number | null }
  evidence: { id: number; title: string; year: number | null; similarity: number }[]
}

export interface ExpertHit extends Omit<ExpertAffinity, 'researcherId'> {
  researcher: {
    id: number
    name: string
    institution: { id: number; name: string; countryCode: string | null } | null
    works: number
    lastActiveYear: number | null
  }
}

export interface ExpertsSettings {
  /** Nearest neighbours taken from each index as candidates; the whole affinity re-ranks them. */
  candidates: CandidateLimits
  /** How many candidates, best by centroid similarity, are scored over their newest works. */
  shortlist: number
  /** How many of a researcher's works, newest first, their affinity is computed over. */
  newestWorks: number
  evidenceWorks: number
}

/**
 * Scoring every work of every candidate read ~30k works per search at 100k works (2 s); centroid
 * similarity picks the shortlist that gets that full score. Centroids rank worse than the
 * affinity, so a short shortlist misses experts: see the recall note in the README.
 */
export const DEFAULT_EXPERTS_SETTINGS: ExpertsSettings = {
  // The dense sources at pgvector's default ef_search (40): the authors of 100 works were ~480
  // researchers to score by centroid, and ef_search 100 doubled both searches' time (500k works).
  candidates: { lexicalResearchers: 100, denseWorks: 40, denseResearchers: 40 },
  shortlist: 40,
  // Current expertise, and a bounded read: prolific researchers (100+ works) dominated shortlists
  // and cost 1–1.5 ms each. Reviewer-match profiles hold at most 20 works, so its loss is unchanged.
  newestWorks: 32,
  evidenceWorks: 3,
}
export const DEFAULT_COAUTHOR_CONFLICT_YEARS = 3

export class ExpertsService {
  constructor(
    private readonly experts: ExpertsRepository,
    private readonly candidates: CandidatesRepository,
    private readonly graph: GraphRepository,
    private readonly profiles: MatchingProfiles,
    private readonly embedder: Embedder | null,
    private readonly clock: Clock,
    private readonly settings: ExpertsSettings = DEFAULT_EXPERTS_SETTINGS,
    private readonly weights: ExpertWeights = DEFAULT_EXPERT_WEIGHTS,
  ) {}

  get signals() {
    return { lexical: true, dense: this.embedder !== null }
  }

  async search(text: string, k: number, filters: MetaFilters = {}, conflicts: Conflicts = {}) {
    await this.profiles.settled()
    const pendingDense = this.denseQuery(text)
    const pendingExcluded = this.conflicted(conflicts)
    pendingExcluded.catch(() => {})
    // The model takes longest and only the dense neighbours need its vector: weighting the terms,
    // the lexical neighbours and the conflicts are read from the database meanwhile.
    const lexical = await lexicalQuery(this.candidates, text)
    const pendingLexicalIds = lexical
      ? this.experts.lexicalNeighbours(lexical, this.settings.candidates.lexicalResearchers)
      : Promise.resolve([])
    pendingLexicalIds.catch(() => {})
    const query = { lexical, dense: await pendingDense }
    if (!query.lexical && !query.dense) throw new BadRequestError('The text has no searchable words')
    const excluded = await pendingExcluded

    // Centroid similarity only shortlists; the affinity over the newest works decides the order.
    // The last active year comes with those works, so its filter waits for them.
    const { activeSince: _, ...centroidFilters } = filters
    const shortlist = (
      await this.experts.centroidCandidates(
        query,
        await pendingLexicalIds,
        this.settings.candidates,
        excluded.researchers,
        filters.minWorks !== undefined,
      )
    )
      .filter(
        (m) =>
          passesFilters({ ...m, works: m.works ?? 0, lastActiveYear: null }, centroidFilters) &&
          !this.institutionConflict(m, excluded),
      )
      .map((m) => ({ id: m.id, score: this.weights.lexical * m.lexical + this.weights.dense * m.dense }))
      .sort(byScoreThenId)
      .slice(0, Math.max(this.settings.shortlist, 2 * k))
      .map((c) => c.id)
    const [scored, identities] = await Promise.all([
      this.experts.affinity(query, shortlist, this.settings.newestWorks),
      this.candidates.identitiesOf(shortlist),
    ])
    const ranked = scored
      .filter((m) => passesFilters(m, filters))
      .map((r) => ({ id: r.id, researcher: r, ...this.score(r) }))
      // Nothing of theirs matches the text at all: no expert, however few others there are.
      .filter((a) => a.score > 0)
      .sort(byScoreThenId)
    const top = onePerPerson(ranked, identities).slice(0, k)
    const works = await this.experts.evidenceWorks(top.flatMap((a) => a.evidence.map((w) => w.workId)))
    return {
      items: top.map(
        (a): ExpertHit => ({
          researcher: researcherRef(a.researcher),
          score: a.score,
          components: a.components,
          evidence: evidence(a.evidence, works),
        }),
      ),
      excludedForConflicts: excluded.researchers.size,
      signals: this.signals,
    }
  }

  /** Record ids for imported author ids (e.g. OpenAlex or data-set ids). */
  researcherIdsByExternalId(externalIds: readonly string[]): Promise<Map<string, number>> {
    return this.candidates.idsByExternalId(externalIds)
  }

  /** A score for each named researcher, in the order given. */
  async affinity(text: string, researcherIds: number[]) {
    await this.profiles.settled()
    const known = await this.candidates.exists(researcherIds)
    const unknown = researcherIds.filter((id) => !known.has(id))
    if (unknown.length > 0) throw new NotFoundError('Researcher', unknown.join(', '))
    const query = await this.queries(text)
    const scored = new Map(
      (await this.experts.affinity(query, researcherIds, this.settings.newestWorks)).map((r) => [
        r.id,
        this.score(r),
      ]),
    )
    const works = await this.experts.evidenceWorks(
      [...scored.values()].flatMap((a) => a.evidence.map((w) => w.workId)),
    )
    return {
      items: researcherIds.map((researcherId): ExpertAffinity => {
        const a = scored.get(researcherId)!
        return {
          researcherId,
          score: a.score,
          components: a.components,
          evidence: evidence(a.evidence, works),
        }
      }),
      signals: this.signals,
    }
  }

  private async queries(text: string): Promise<QueryVectors> {
    const pendingDense = this.denseQuery(text)
    const lexical = await lexicalQuery(this.candidates, text)
    const dense = await pendingDense
    if (!lexical && !dense) throw new BadRequestError('The text has no searchable words')
    return { lexical, dense }
  }

  /** Starts embedding the text; a failure is reported to whoever awaits the result. */
  private denseQuery(text: string): Promise<QueryVectors['dense']> {
    const embedder = this.embedder
    if (!embedder) return Promise.resolve(null)
    const pending = embedder
      .embed([text])
      .then(([vector]) => ({ vector: toVectorLiteral(vector!), modelId: embedder.modelId }))
    pending.catch(() => {})
    return pending
  }

  /** The affinity of one researcher from the query's similarity to each of their works. */
  private score(r: ScoredResearcher) {
    const lexicalScore = aggregateAffinity(r.lexical.map((w) => w.similarity))
    const denseScore = r.dense ? aggregateAffinity(r.dense.map((w) => w.similarity)) : null
    const score = this.weights.lexical * lexicalScore + this.weights.dense * (denseScore ?? 0)
    const evidenceFrom = r.dense && r.dense.length > 0 && lexicalScore === 0 ? r.dense : r.lexical
    return {
      score,
      components: { lexical: lexicalScore, dense: denseScore },
      evidence: [...evidenceFrom]
        .sort((a, b) => b.similarity - a.similarity || a.workId - b.workId)
        .slice(0, this.settings.evidenceWorks),
    }
  }

  private async conflicted(c: Conflicts) {
    // A person is every record of theirs: excluding or naming one covers their split profiles.
    const researchers = new Set<number>(await this.candidates.withSamePerson(c.excludeResearcherIds ?? []))
    const institutions = new Set<number>(c.excludeInstitutionIds ?? [])
    const named = c.applicantIds ?? []
    if (named.length > 0) {
      const known = await this.candidates.exists(named)
      const unknown = named.filter((id) => !known.has(id))
      if (unknown.length > 0) throw new NotFoundError('Applicant', unknown.join(', '))
      const applicants = await this.candidates.withSamePerson(named)
      const since = this.clock.now().getUTCFullYear() - (c.coauthorYears ?? DEFAULT_COAUTHOR_CONFLICT_YEARS)
      for (const id of applicants) researchers.add(id)
      for (const id of await this.graph.coauthorsSince(applicants, since)) researchers.add(id)
      if (c.excludeApplicantInstitutions ?? true) {
        for (const m of (await this.candidates.meta(applicants)).values())
          if (m.institutionId !== null) institutions.add(m.institutionId)
      }
    }
    return { researchers, institutions }
  }

  private institutionConflict(
    m: Pick<ResearcherMeta, 'institutionId'>,
    excluded: { institutions: Set<number> },
  ) {
    return m.institutionId !== null && excluded.institutions.has(m.institutionId)
  }
}

function evidence(scores: WorkScore[], works: Map<number, { title: string; year: number | null }>) {
  return scores.map((w) => ({
    id: w.workId,
    title: works.get(w.workId)?.title ?? '',
    year: works.get(w.workId)?.year ?? null,
    similarity: w.similarity,
  }))
}

function researcherRef(m: ResearcherMeta) {
  return {
    id: m.id,
    name: m.name,
    institution:
      m.institutionId !== null
        ? { id: m.institutionId, name: m.institutionName ?? '', countryCode: m.countryCode }
        : null,
    works: m.works,
    lastActiveYear: m.lastActiveYear,
  }
}
