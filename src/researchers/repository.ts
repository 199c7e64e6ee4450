import { and, count, desc, eq, ne, notInArray, sql } from 'drizzle-orm'
import {
  authorships,
  excludedWorks,
  institutions,
  researcherMerges,
  researchers,
  topics,
  works,
  workTopics,
} from '../../db/schema/index.js'
import type { Database } from '../infra/db/database.js'
import { nameSearch } from '../infra/db/like.js'
import { isSuspended } from '../moderation/suspended.js'

/** Two people are close collaborators once they share this many works. */
export const CLOSE_COLLABORATOR_MIN_JOINT_WORKS = 2

export interface ResearcherRow {
  id: number
  externalId: string
  name: string
  orcid: string | null
  openToCollaborate: boolean
  claimedByAccountId: number | null
  /** An operator took the record out of matching (src/moderation). */
  suspended: boolean
  institution: { id: number; name: string; ror: string | null; countryCode: string | null } | null
}

export interface ResearcherCounts {
  works: number
  topics: number
  closeCollaborators: number
}

export class ResearchersRepository {
  constructor(private readonly database: Database) {}

  /** The record `id` was merged into (src/moderation/merges), if it was. */
  async mergedInto(id: number): Promise<number | null> {
    const [row] = await this.database.db
      .select({ id: researcherMerges.researcherId })
      .from(researcherMerges)
      .where(eq(researcherMerges.mergedResearcherId, id))
    return row?.id ?? null
  }

  /** Other records sharing the ORCID: one person's split profile until an operator merges it. */
  async sameOrcid(id: number, orcid: string | null) {
    if (orcid === null) return []
    return this.database.db
      .select({
        id: researchers.id,
        name: researchers.name,
        claimed: sql<boolean>`${researchers.claimedByAccountId} is not null`,
      })
      .from(researchers)
      .where(and(eq(researchers.orcid, orcid), ne(researchers.id, id)))
      .orderBy(researchers.id)
      .limit(20)
  }

  async findById(id: number): Promise<ResearcherRow | null> {
    const [row] = await this.database.db
      .select({
        id: researchers.id,
        externalId: researchers.externalId,
        name: researchers.name,
        orcid: researchers.orcid,
        openToCollaborate: researchers.openToCollaborate,
        claimedByAccountId: researchers.claimedByAccountId,
        suspended: sql<boolean>`${isSuspended(researchers.id)}`,
        institutionId: institutions.id,
        institutionName: institutions.name,
        institutionRor: institutions.ror,
        institutionCountry: institutions.countryCode,
      })
      .from(researchers)
      .leftJoin(institutions, eq(institutions.id, researchers.institutionId))
      .where(eq(researchers.id, id))
    if (!row) return null
    return {
      id: row.id,
      externalId: row.externalId,
      name: row.name,
      orcid: row.orcid,
      openToCollaborate: row.openToCollaborate,
      claimedByAccountId: row.claimedByAccountId,
      suspended: row.suspended,
      institution:
        row.institutionId === null
          ? null
          : {
              id: row.institutionId,
              name: row.institutionName!,
              ror: row.institutionRor,
              countryCode: row.institutionCountry,
            },
    }
  }

  async counts(id: number): Promise<ResearcherCounts> {
    const [row] = await this.database.rows<ResearcherCounts>(sql`
      select
        (select count(*)::int from ${authorships} where researcher_id = ${id}) as works,
        (select count(distinct wt.topic_id)::int
           from ${authorships} a join ${workTopics} wt on wt.work_id = a.work_id
          where a.researcher_id = ${id}) as topics,
        (select count(*)::int from (
            select other.researcher_id
              from ${authorships} mine
              join ${authorships} other on other.work_id = mine.work_id and other.researcher_id <> mine.researcher_id
             where mine.researcher_id = ${id}
             group by other.researcher_id
            having count(*) >= ${CLOSE_COLLABORATOR_MIN_JOINT_WORKS}) close) as "closeCollaborators"`)
    return row ?? { works: 0, topics: 0, closeCollaborators: 0 }
  }

  /** Expertise as the profile shows it: works the claimant excluded do not count. */
  async topTopics(id: number, limit: number): Promise<{ id: number; name: string; works: number }[]> {
    const excluded = this.database.db
      .select({ workId: excludedWorks.workId })
      .from(excludedWorks)
      .where(eq(excludedWorks.researcherId, id))
    return this.database.db
      .select({ id: topics.id, name: topics.name, works: count().mapWith(Number) })
      .from(authorships)
      .innerJoin(workTopics, eq(workTopics.workId, authorships.workId))
      .innerJoin(topics, eq(topics.id, workTopics.topicId))
      .where(and(eq(authorships.researcherId, id), notInArray(authorships.workId, excluded)))
      .groupBy(topics.id, topics.name)
      .orderBy(desc(count()), topics.id)
      .limit(limit)
  }

  async worksOf(id: number, limit: number, offset: number) {
    const items = await this.database.db
      .select({
        id: works.id,
        title: works.title,
        year: works.year,
        type: works.type,
        venue: works.venue,
        doi: works.doi,
        position: authorships.position,
      })
      .from(authorships)
      .innerJoin(works, eq(works.id, authorships.workId))
      .where(eq(authorships.researcherId, id))
      .orderBy(sql`${works.year} desc nulls last`, desc(works.id))
      .limit(limit)
      .offset(offset)
    const [total] = await this.database.db
      .select({ total: count().mapWith(Number) })
      .from(authorships)
      .where(eq(authorships.researcherId, id))
    return { items, total: total?.total ?? 0 }
  }

  /** Substring match on the name, best trigram similarity first; the trigram index serves the LIKE. */
  async searchByName(query: string, limit: number, offset: number) {
    const { matches, closestFirst } = nameSearch(researchers.name, query)
    const items = await this.database.db
      .select({
        id: researchers.id,
        name: researchers.name,
        orcid: researchers.orcid,
        institutionName: institutions.name,
      })
      .from(researchers)
      .leftJoin(institutions, eq(institutions.id, researchers.institutionId))
      .where(matches)
      .orderBy(closestFirst, researchers.id)
      .limit(limit)
      .offset(offset)
    const [total] = await this.database.db
      .select({ total: count().mapWith(Number) })
      .from(researchers)
      .where(matches)
    return { items, total: total?.total ?? 0 }
  }
}
