/**
 * A LIKE pattern matching the text anywhere, lower-cased, with the caller's `%`, `_` and `\`
 * taken literally: a search for "100%" must not match everything. Pair it with `lower(column)`,
 * which the trigram indexes cover.
 */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
