import { NotFoundError } from '../infra/http/errors.js'
import type { CatalogRepository } from './repository.js'

/** Lookups that turn names into the ids filters and settings take. */
export class CatalogService {
  constructor(private readonly repository: CatalogRepository) {}

  async institution(id: number) {
    const found = await this.repository.institution(id)
    if (!found) throw new NotFoundError('Institution', id)
    return found
  }

  async searchInstitutions(query: string, limit: number, offset: number) {
    const { items, total } = await this.repository.searchInstitutions(query.trim(), limit, offset)
    return { items, page: { limit, offset, total } }
  }

  async topic(id: number) {
    const found = await this.repository.topic(id)
    if (!found) throw new NotFoundError('Topic', id)
    return found
  }

  async searchTopics(query: string, limit: number, offset: number) {
    const { items, total } = await this.repository.searchTopics(query.trim(), limit, offset)
    return { items, page: { limit, offset, total } }
  }
}
