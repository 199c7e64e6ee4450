import { isIP } from 'node:net'
import { type Static, Type } from 'typebox'
import { Value } from 'typebox/value'

export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
  }),
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  LOG_LEVEL: Type.Union(
    [
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ],
    { default: 'info' },
  ),
  /** Unset: the embedded PGlite database under DATA_DIR. */
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_POOL_MAX: Type.Integer({ default: 10, minimum: 1, maximum: 200 }),
  DATA_DIR: Type.String({ default: './data', minLength: 1 }),
  MODELS_DIR: Type.String({ default: './models', minLength: 1 }),
  /** A transformers.js model folder under MODELS_DIR; see `collabmatch model download`. */
  EMBEDDING_MODEL: Type.String({
    default: 'Xenova/all-MiniLM-L6-v2',
    pattern: '^[A-Za-z0-9][\\w.-]*(/[A-Za-z0-9][\\w.-]*)?$',
  }),
  EMBEDDING_DTYPE: Type.Union([Type.Literal('fp32'), Type.Literal('q8')], { default: 'q8' }),
  /** onnxruntime intra-op threads of the embedding process; 0 = one fewer than the CPUs, at least 1. */
  EMBEDDING_THREADS: Type.Integer({ default: 0, minimum: 0, maximum: 64 }),
  /**
   * Longest text the model reads, in word pieces with [CLS] and [SEP]; the rest is cut off, for works
   * and queries alike. all-MiniLM-L6-v2 was trained on 128 and is used at 256 (sentence-transformers'
   * max_seq_length); a full title and abstract is ~416, and the cost grows faster than the length.
   */
  EMBEDDING_MAX_TOKENS: Type.Integer({ default: 256, minimum: 16, maximum: 8192 }),
  EMBEDDING_BATCH_SIZE: Type.Integer({ default: 32, minimum: 1, maximum: 512 }),
  /** How long a worker may hold a batch before another process may take it over (a crash frees it then). */
  EMBEDDING_LEASE_SECONDS: Type.Integer({ default: 300, minimum: 1, maximum: 86_400 }),
  /** Run the background embedding worker in this process (several processes may share the queue). */
  EMBEDDING_WORKER: Type.Boolean({ default: true }),
  /**
   * With the worker on, embed search texts in a second model process: one process answers in
   * order, so an expert search would wait behind a batch of abstracts (about a second). Costs a
   * second copy of the model in memory (~100 MB for all-MiniLM-L6-v2 q8 with its process).
   */
  EMBEDDING_QUERY_PROCESS: Type.Boolean({ default: true }),
  /**
   * Intra-op threads of the search-text process; 0 = half the CPUs, at least one. On two cores two
   * threads embedded a text in 17 ms where one took 24, yet the whole expert search took 58 ms
   * against 49: the database work beside and after the model ran slower (bench:match, 500k works).
   */
  EMBEDDING_QUERY_THREADS: Type.Integer({ default: 0, minimum: 0, maximum: 64 }),
  /** Signs access tokens; a development fallback is used unless NODE_ENV=production. */
  AUTH_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  BODY_LIMIT_BYTES: Type.Integer({ default: 8 * 1024 * 1024, minimum: 1024, maximum: 1024 * 1024 * 1024 }),
  /**
   * The reverse proxies allowed to tell the client's address in X-Forwarded-For: a comma-separated
   * list of addresses or CIDR ranges (or proxy-addr's `loopback`, `linklocal`, `uniquelocal`). Unset:
   * the header is ignored and the client is the TCP peer, so behind a proxy every client shares the
   * proxy's rate-limit budget. List only what sits in front of the service: a listed address can
   * claim any client address.
   */
  TRUST_PROXY: Type.Optional(
    Type.String({ maxLength: 1000, pattern: '^[0-9A-Za-z.:/]+( *, *[0-9A-Za-z.:/]+)*$' }),
  ),
  /**
   * After SIGTERM the listener stays open this long, answering new requests 503, before it closes:
   * requests already on their way are answered instead of reset, and load balancers see /ready fail.
   */
  SHUTDOWN_DRAIN_MS: Type.Integer({ default: 1000, minimum: 0, maximum: 30_000 }),
  /** Requests per client address and window on each auth route (register, login, refresh, claims). */
  AUTH_RATE_LIMIT_MAX: Type.Integer({ default: 20, minimum: 1, maximum: 100_000 }),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: Type.Integer({ default: 60, minimum: 1, maximum: 86_400 }),
  /**
   * Requests per account (per client address without one) and window on each matching route:
   * expert search, affinity and suggestions cost tens of milliseconds of CPU each.
   */
  MATCHING_RATE_LIMIT_MAX: Type.Integer({ default: 120, minimum: 1, maximum: 100_000 }),
  MATCHING_RATE_LIMIT_WINDOW_SECONDS: Type.Integer({ default: 60, minimum: 1, maximum: 86_400 }),
  /** Lifetime of access tokens; an open socket is closed when its token expires unless renewed (auth:refresh). */
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ default: 15 * 60, minimum: 1, maximum: 24 * 3600 }),
  REFRESH_TOKEN_TTL_DAYS: Type.Integer({ default: 30, minimum: 1, maximum: 365 }),
  /** auto: the PostgreSQL adapter when DATABASE_URL is set (several nodes), none for PGlite. */
  REALTIME_ADAPTER: Type.Union([Type.Literal('auto'), Type.Literal('none'), Type.Literal('postgres')], {
    default: 'auto',
  }),
  REALTIME_INVITATION_TTL_SECONDS: Type.Integer({
    default: 14 * 24 * 3600,
    minimum: 1,
    maximum: 366 * 24 * 3600,
  }),
  REALTIME_INVITATION_SWEEP_SECONDS: Type.Integer({ default: 60, minimum: 1, maximum: 86_400 }),
  /** How often each node looks for events whose writer died before fanning them out (also the grace period). */
  REALTIME_OUTBOX_SWEEP_SECONDS: Type.Integer({ default: 15, minimum: 1, maximum: 3600 }),
  REALTIME_INVITATIONS_PER_HOUR: Type.Integer({ default: 20, minimum: 1, maximum: 100_000 }),
  /** Largest Socket.IO packet; a client sending more is disconnected by the engine. */
  REALTIME_MAX_PAYLOAD_BYTES: Type.Integer({ default: 16 * 1024, minimum: 1024, maximum: 16 * 1024 * 1024 }),
  REALTIME_SOCKET_EVENTS_PER_SECOND: Type.Integer({ default: 20, minimum: 1, maximum: 100_000 }),
  REALTIME_SOCKET_BURST: Type.Integer({ default: 40, minimum: 1, maximum: 100_000 }),
  /** Refused events (rate-limited, invalid, unknown) a socket may send before it is disconnected. */
  REALTIME_SOCKET_MAX_STRIKES: Type.Integer({ default: 50, minimum: 1, maximum: 100_000 }),
  /** Suggestions scoring at least this are pushed to the researcher. */
  /**
   * A new suggestion at or above this score is announced (suggestion:created, then pushed). About the
   * 90th percentile of suggestion scores on the generated 100k-works set (median 1.38, p99 2.58).
   */
  REALTIME_STRONG_SUGGESTION_SCORE: Type.Number({ default: 1.75, minimum: 0, maximum: 100 }),
})

export type Config = Static<typeof ConfigSchema>

/** A setting's documented default, for callers (like tests) that build a partial config. */
export function settingDefault<K extends keyof typeof ConfigSchema.properties>(key: K): Config[K] {
  return (ConfigSchema.properties[key] as { default?: unknown }).default as Config[K]
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** What proxy-addr accepts: an IP address, an address with a prefix length, or one of its names. */
function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true
  const [address = '', prefix, extra] = entry.split('/')
  const version = isIP(address)
  if (version === 0 || extra !== undefined) return false
  if (prefix === undefined) return true
  return /^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128)
}

const DEVELOPMENT_AUTH_SECRET = 'development-only-secret-change-me-0123456789'

/** The one place that reads process.env: everything else receives a Config. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config & { AUTH_SECRET: string } {
  const known = Object.fromEntries(
    Object.keys(ConfigSchema.properties)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  )
  // Conversion alone made PORT=3000.5 port 3000 and PORT=true port 1: a number is written as one.
  const notNumbers = new Map<string, string>()
  for (const [key, value] of Object.entries(known)) {
    const { type } = ConfigSchema.properties[key as keyof Config] as { type?: string }
    if (type === 'integer' && !/^-?[0-9]+$/.test(String(value))) notNumbers.set(key, 'must be a whole number')
    if (type === 'number' && !/^-?[0-9]+(\.[0-9]+)?$/.test(String(value)))
      notNumbers.set(key, 'must be a number')
  }
  const candidate = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, known))
  if (notNumbers.size > 0 || !Value.Check(ConfigSchema, candidate)) {
    // A union reports once per branch, the union itself last; one message per setting is enough.
    const byPath = new Map<string, string>()
    for (const error of Value.Errors(ConfigSchema, candidate)) {
      const key = error.instancePath.replace(/^\//, '') || '(root)'
      byPath.set(key, error.keyword === 'anyOf' ? 'is not one of the allowed values' : error.message)
    }
    for (const [key, message] of notNumbers) byPath.set(key, message)
    const problems = [...byPath].map(([key, message]) => `${key} ${message}`).join('; ')
    throw new ConfigError(`Invalid configuration: ${problems}`)
  }
  const config = candidate as Config
  const badProxy = config.TRUST_PROXY?.split(',').find((entry) => !isProxyAddress(entry.trim()))
  if (badProxy !== undefined) {
    throw new ConfigError(
      `Invalid configuration: TRUST_PROXY "${badProxy.trim()}" is not an address or CIDR range`,
    )
  }
  if (config.NODE_ENV === 'production' && !config.AUTH_SECRET) {
    throw new ConfigError('AUTH_SECRET (at least 32 characters) must be set when NODE_ENV=production')
  }
  return { ...config, AUTH_SECRET: config.AUTH_SECRET ?? DEVELOPMENT_AUTH_SECRET }
}
