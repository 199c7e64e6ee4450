/** PostgreSQL unique_violation, as raised by either driver (drizzle may wrap it in `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; i++) {
    if (e.code === '23505') return true
    e = e.cause as typeof e
  }
  return false
}
