/**
 * Splits a whitespace-separated word list, with `_` standing for a space inside one entry.
 * Long static lists stay readable this way instead of being formatted one entry per line.
 */
export function packed(list: string): string[] {
  return list
    .trim()
    .split(/\s+/)
    .map((s) => s.replace(/_/g, ' '))
}
