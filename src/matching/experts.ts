import { toVectorLiteral } from '../embeddings/sparse.js'
import type { Clock } from '../infra/clock.js'
import type { Embedder } from '../infra/embedder/embedder.js'
import { BadRequestError, NotFoundError } from '../infra/http/errors.js'
import type { CandidatesRepository, ResearcherMeta, WorkSimilarity } from './candidates-repository.js'
import { type MetaFilters, passesFilters } from './filters.js'
import type { GraphRepository } from './graph-repository.js'
import type { MatchingProfiles } from './profiles.js'
import { lexicalQuery } from './query-text.js'
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
  candidatePool: number
  evidenceWorks: number
}

export const DEFAULT_EXPERTS_SETTINGS: ExpertsSettings = { candidatePool: 200, evidenceWorks: 3 }
export const DEFAULT_COAUTHOR_CONFLICT_YEARS = 3

export class ExpertsService {
  constructor(
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
    const query = await this.queries(text)
    const excluded = await this.conflicted(conflicts)

    const pool = new Set<number>()
    if (query.lexical)
      for (const hit of await this.candidates.lexicalNeighbours(
        query.lexical,
        'centroid',
        this.settings.candidatePool,
      ))
        pool.add(hit.id)
    if (query.dense && this.embedder) {
      for (const id of await this.candidates.denseWorkAuthors(
        query.dense,
        this.embedder.modelId,
        this.settings.candidatePool,
      ))
        pool.add(id)
      for (const id of await this.candidates.denseResearchersNear(
        query.dense,
        this.embedder.modelId,
        this.settings.candidatePool / 2,
      ))
        pool.add(id)
    }
    for (const id of excluded.researchers) pool.delete(id)
    const meta = await this.candidates.meta([...pool])
    const eligible = [...pool].filter((id) => {
      const m = meta.get(id)
      return m !== undefined && passesFilters(m, filters) && !this.institutionConflict(m, excluded)
    })
    const scored = await this.score(query, eligible)
    const top = scored
      .sort((a, b) =>
        byScoreThenId({ id: a.researcherId, score: a.score }, { id: b.researcherId, score: b.score }),
      )
      .slice(0, k)
    return {
      items: top.map((a): ExpertHit => {
        const m = meta.get(a.researcherId)!
        return {
          researcher: researcherRef(m),
          score: a.score,
          components: a.components,
          evidence: a.evidence,
        }
      }),
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
    const scored = new Map((await this.score(query, researcherIds)).map((a) => [a.researcherId, a]))
    return { items: researcherIds.map((id) => scored.get(id)!), signals: this.signals }
  }

  private async queries(text: string): Promise<{ lexical: string | null; dense: string | null }> {
    const lexical = await lexicalQuery(this.candidates, text)
    const dense = this.embedder ? toVectorLiteral((await this.embedder.embed([text]))[0]!) : null
    if (!lexical && !dense) throw new BadRequestError('The text has no searchable words')
    return { lexical, dense }
  }

  private async score(
    query: { lexical: string | null; dense: string | null },
    ids: number[],
  ): Promise<ExpertAffinity[]> {
    const lexical = query.lexical ? await this.candidates.lexicalWorkSimilarities(query.lexical, ids) : []
    const dense =
      query.dense && this.embedder
        ? await this.candidates.denseWorkSimilarities(query.dense, this.embedder.modelId, ids)
        : null
    const lexicalBy = groupBy(lexical)
    const denseBy = dense ? groupBy(dense) : null
    return ids.map((researcherId) => {
      const lexWorks = lexicalBy.get(researcherId) ?? []
      const denseWorks = denseBy?.get(researcherId) ?? []
      const lexicalScore = aggregateAffinity(lexWorks.map((w) => w.similarity))
      const denseScore = denseBy ? aggregateAffinity(denseWorks.map((w) => w.similarity)) : null
      const score = this.weights.lexical * lexicalScore + this.weights.dense * (denseScore ?? 0)
      const evidenceFrom = denseBy && denseWorks.length > 0 && lexicalScore === 0 ? denseWorks : lexWorks
      const evidence = [...evidenceFrom]
        .sort((a, b) => b.similarity - a.similarity || a.workId - b.workId)
        .slice(0, this.settings.evidenceWorks)
        .map((w) => ({ id: w.workId, title: w.title, year: w.year, similarity: w.similarity }))
      return { researcherId, score, components: { lexical: lexicalScore, dense: denseScore }, evidence }
    })
  }

  private async conflicted(c: Conflicts) {
    const researchers = new Set<number>(c.excludeResearcherIds ?? [])
    const institutions = new Set<number>(c.excludeInstitutionIds ?? [])
    const applicants = c.applicantIds ?? []
    if (applicants.length > 0) {
      const known = await this.candidates.exists(applicants)
      const unknown = applicants.filter((id) => !known.has(id))
      if (unknown.length > 0) throw new NotFoundError('Applicant', unknown.join(', '))
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

  private institutionConflict(m: ResearcherMeta, excluded: { institutions: Set<number> }) {
    return m.institutionId !== null && excluded.institutions.has(m.institutionId)
  }
}

function groupBy(rows: WorkSimilarity[]): Map<number, WorkSimilarity[]> {
  const out = new Map<number, WorkSimilarity[]>()
  for (const row of rows) {
    const list = out.get(row.researcherId) ?? []
    list.push(row)
    out.set(row.researcherId, list)
  }
  return out
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
