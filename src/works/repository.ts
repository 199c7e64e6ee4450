import { asc, eq } from 'drizzle-orm'
import { authorships, researchers, topics, works, workTopics } from '../../db/schema/index.js'
import type { Database } from '../infra/db/database.js'

export class WorksRepository {
  constructor(private readonly database: Database) {}

  async findById(id: number) {
    const [work] = await this.database.db
      .select({
        id: works.id,
        externalId: works.externalId,
        doi: works.doi,
        title: works.title,
        abstract: works.abstract,
        year: works.year,
        type: works.type,
        venue: works.venue,
      })
      .from(works)
      .where(eq(works.id, id))
    if (!work) return null
    const [authors, workTopicRows] = await Promise.all([
      this.database.db
        .select({ id: researchers.id, name: researchers.name, position: authorships.position })
        .from(authorships)
        .innerJoin(researchers, eq(researchers.id, authorships.researcherId))
        .where(eq(authorships.workId, id))
        .orderBy(asc(authorships.position)),
      this.database.db
        .select({ id: topics.id, name: topics.name, score: workTopics.score })
        .from(workTopics)
        .innerJoin(topics, eq(topics.id, workTopics.topicId))
        .where(eq(workTopics.workId, id))
        .orderBy(asc(topics.id)),
    ])
    return { ...work, authors, topics: workTopicRows }
  }
}
