import { NotFoundError } from '../infra/http/errors.js'
import type { WorksRepository } from './repository.js'

export class WorksService {
  constructor(private readonly repository: WorksRepository) {}

  async get(id: number) {
    const work = await this.repository.findById(id)
    if (!work) throw new NotFoundError('Work', id)
    return work
  }
}
