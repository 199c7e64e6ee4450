/** Errors a person fixes from one line: a usage or configuration mistake, a database in use, a bad file. */
const ONE_LINE = new Set(['UsageError', 'ConfigError', 'DataDirInUseError', 'NothingImportedError'])

/** A failed statement's text and parameters can be hundreds of kilobytes of imported data. */
const STATEMENT_CHARS = 300

/**
 * What a command or the server prints when it stops on an error. Drizzle reports a failed
 * statement as "Failed query: <statement> params: <values>" and keeps the database's reason in
 * `cause`: the reason is what a person needs, and the statement is cut short.
 */
export function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  if (ONE_LINE.has(error.name)) return error.message
  const causes: string[] = []
  for (let cause = error.cause, depth = 0; cause instanceof Error && depth < 4; depth++) {
    causes.push(cause.message)
    cause = cause.cause
  }
  if (causes.length === 0) return error.stack ?? error.message
  const head =
    error.message.length > STATEMENT_CHARS
      ? `${error.message.slice(0, STATEMENT_CHARS)}… (cut)`
      : error.message
  return [`${error.name}: ${head}`, ...causes.map((c) => `caused by: ${c}`)].join('\n')
}
