import { NotFoundError } from '../infra/http/errors.js'
import type { ResearchersRepository } from './repository.js'

export class ResearchersService {
  constructor(private readonly repository: ResearchersRepository) {}

  async profile(id: number) {
    const researcher = await this.repository.findById(id)
    if (!researcher) throw new NotFoundError('Researcher', id)
    const [counts, topTopics] = await Promise.all([
      this.repository.counts(id),
      this.repository.topTopics(id, 10),
    ])
    return { ...researcher, counts, topTopics }
  }

  async works(id: number, limit: number, offset: number) {
    await this.ensureExists(id)
    const { items, total } = await this.repository.worksOf(id, limit, offset)
    return { items, page: { limit, offset, total } }
  }

  async search(query: string, limit: number, offset: number) {
    const { items, total } = await this.repository.searchByName(query.trim(), limit, offset)
    return { items, page: { limit, offset, total } }
  }

  private async ensureExists(id: number): Promise<void> {
    if (!(await this.repository.findById(id))) throw new NotFoundError('Researcher', id)
  }
}
