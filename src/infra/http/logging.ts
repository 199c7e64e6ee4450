import type { FastifyServerOptions } from 'fastify'

/**
 * The service's log settings: bearer tokens, cookies and secrets in logged objects are censored,
 * and errors are logged without the values their SQL was run with. drizzle puts a failed
 * statement's parameters into the error's message, stack and `params` (emails, password and token
 * hashes, message bodies), and PostgreSQL's `detail` quotes the key of a violated constraint; the
 * statement text itself carries no values and is kept.
 */
export function loggerOptions(
  level: string,
  stream?: { write(line: string): void },
): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.token',
        '*.refreshToken',
        '*.accessToken',
      ],
      censor: '[redacted]',
    },
    serializers: {
      err: (error) => serializeError(error) as { type: string; message: string; stack: string },
    },
    ...(stream ? { stream } : {}),
  }
}

/** Values: drizzle's and postgres.js' parameters, PostgreSQL's `detail` ("Key (email)=(…) already exists"). */
const OMITTED = new Set(['params', 'parameters', 'detail', 'cause'])

const PARAMS_MARKER = '\nparams: '

/** drizzle's "Failed query: <sql>\nparams: <values>" without the values. */
const withoutParams = (text: string, message: string): string => {
  const at = message.indexOf(PARAMS_MARKER)
  if (at < 0) return text
  return text.replace(message, `${message.slice(0, at)}${PARAMS_MARKER}[redacted]`)
}

/** Like pino's error serializer (type, message, stack, own fields, causes), minus query parameters. */
export function serializeError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) return value
  const message = value.message
  const out: Record<string, unknown> = {
    type: value.constructor?.name ?? value.name,
    message: withoutParams(message, message),
    stack: value.stack === undefined ? undefined : withoutParams(value.stack, message),
  }
  for (const [key, field] of Object.entries(value)) {
    if (OMITTED.has(key) || key in out) continue
    out[key] = field instanceof Error ? (depth < 4 ? serializeError(field, depth + 1) : String(field)) : field
  }
  if (value.cause !== undefined && depth < 4) out['cause'] = serializeError(value.cause, depth + 1)
  return out
}
