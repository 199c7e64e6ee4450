/** Unique violations arrive wrapped by drizzle on one driver and bare on the other. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code } = e as { code?: unknown }
    if (code === '23505') {
      if (!constraint) return true
      const text = `${(e as { constraint?: string; constraint_name?: string }).constraint ?? ''} ${
        (e as { constraint_name?: string }).constraint_name ?? ''
      } ${(e as { message?: string }).message ?? ''}`
      return text.includes(constraint)
    }
  }
  return false
}

/** A Postgres int[] literal passed as one text parameter, which both drivers send the same way. */
export const intArray = (values: readonly number[]) => `{${values.map((v) => Math.trunc(v)).join(',')}}`
