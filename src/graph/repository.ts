import { type SQL, sql } from 'drizzle-orm'
import { authorships, institutions, researchers, topics, works, workTopics } from '../../db/schema/index.js'
import type { Database } from '../infra/db/database.js'

export interface PersonRow {
  id: number
  name: string
  institutionId: number | null
}
export interface CoauthorRow extends PersonRow {
  sourceId: number
  jointWorks: number
}

const list = (ids: number[]): SQL =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )

/** Read-only neighbourhood queries; each one is bounded by the limit it is given. */
export class GraphRepository {
  constructor(private readonly database: Database) {}

  async person(id: number): Promise<PersonRow | null> {
    const [row] = await this.database.rows<PersonRow>(sql`
      select id, name, institution_id as "institutionId" from ${researchers} where id = ${id}`)
    return row ?? null
  }

  /** For each source, its co-authors with the most joint works first, at most `perSource` each. */
  async coauthors(sourceIds: number[], perSource: number): Promise<CoauthorRow[]> {
    if (sourceIds.length === 0) return []
    return this.database.rows<CoauthorRow>(sql`
      select "sourceId", id, name, "institutionId", "jointWorks" from (
        select mine.researcher_id as "sourceId", r.id, r.name, r.institution_id as "institutionId",
               count(*)::int as "jointWorks",
               row_number() over (partition by mine.researcher_id order by count(*) desc, r.id) as rank
          from ${authorships} mine
          join ${authorships} co on co.work_id = mine.work_id and co.researcher_id <> mine.researcher_id
          join ${researchers} r on r.id = co.researcher_id
         where mine.researcher_id in (${list(sourceIds)})
         group by mine.researcher_id, r.id, r.name, r.institution_id) ranked
      where rank <= ${perSource}
      order by "sourceId", "jointWorks" desc, id`)
  }

  async recentWorks(researcherId: number, limit: number) {
    return this.database.rows<{ id: number; title: string; year: number | null }>(sql`
      select w.id, w.title, w.year from ${authorships} a join ${works} w on w.id = a.work_id
       where a.researcher_id = ${researcherId}
       order by w.year desc nulls last, w.id desc limit ${limit}`)
  }

  /** Which of the given people wrote which of the given works. */
  async authorshipsAmong(workIds: number[], researcherIds: number[]) {
    if (workIds.length === 0 || researcherIds.length === 0) return []
    return this.database.rows<{ workId: number; researcherId: number }>(sql`
      select work_id as "workId", researcher_id as "researcherId" from ${authorships}
       where work_id in (${list(workIds)}) and researcher_id in (${list(researcherIds)})`)
  }

  async topTopics(researcherId: number, limit: number) {
    return this.database.rows<{ id: number; name: string; works: number }>(sql`
      select t.id, t.name, count(*)::int as works
        from ${authorships} a join ${workTopics} wt on wt.work_id = a.work_id join ${topics} t on t.id = wt.topic_id
       where a.researcher_id = ${researcherId}
       group by t.id, t.name order by works desc, t.id limit ${limit}`)
  }

  async workTopicsAmong(workIds: number[], topicIds: number[]) {
    if (workIds.length === 0 || topicIds.length === 0) return []
    return this.database.rows<{ workId: number; topicId: number }>(sql`
      select work_id as "workId", topic_id as "topicId" from ${workTopics}
       where work_id in (${list(workIds)}) and topic_id in (${list(topicIds)})`)
  }

  async institutionsByIds(ids: number[]) {
    if (ids.length === 0) return []
    return this.database.rows<{ id: number; name: string }>(sql`
      select id, name from ${institutions} where id in (${list(ids)}) order by id`)
  }
}
