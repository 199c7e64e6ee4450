import { ConflictError } from '../http/errors.js'

/**
 * SQLSTATEs that mean another transaction changed what this one relied on between its checks and
 * its writes: a row it refers to was deleted (23503, e.g. an account deleted while its last
 * request ran), or two transactions locked the same rows in opposite orders (40P01, 40001).
 * The request was fine and may succeed again; it is not a server fault.
 */
const CONCURRENT_CHANGE = new Set(['23503', '40P01', '40001'])

/** The SQLSTATE of a database error, looking through the query builder's wrappers. */
function sqlState(error: unknown): string | undefined {
  let current = error
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/** A 409 for a write that lost a race with another change; null for any other error. */
export function concurrentChangeConflict(error: unknown): ConflictError | null {
  const state = sqlState(error)
  if (state === undefined || !CONCURRENT_CHANGE.has(state)) return null
  return new ConflictError('Something this request relies on changed meanwhile; try again')
}
