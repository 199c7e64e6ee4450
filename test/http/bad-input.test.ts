import { sql } from 'drizzle-orm'
import type { FastifyInstance, InjectOptions } from 'fastify'
import t from 'tap'
import type { Database } from '../../src/infra/db/database.js'
import { build } from '../helpers/build.js'
import { freshDatabase } from '../helpers/database.js'
import { ORCID_ANN, seedCatalogue, signUp, type TestUser } from '../helpers/identity.js'

/**
 * A client's mistake is a clear 4xx JSON error that changes nothing, never a 5xx. Every route in the
 * OpenAPI document gets malformed path params, query values and bodies (derived from its own schema),
 * from an anonymous caller, an operator, a programme officer and a claimed researcher.
 */

interface JsonSchema {
  type?: string
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  minProperties?: number
  items?: JsonSchema
  minItems?: number
  maxItems?: number
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  pattern?: string
  format?: string
  enum?: unknown[]
  anyOf?: JsonSchema[]
  default?: unknown
}
interface Parameter {
  in: 'path' | 'query' | 'header'
  name: string
  required?: boolean
  schema: JsonSchema
}
interface Operation {
  parameters?: Parameter[]
  requestBody?: { content?: Record<string, { schema: JsonSchema }> }
}
interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  op: Operation
}

/**
 * One probe. `strict`: the input breaks the route's own schema, so only a 4xx will do. Otherwise the
 * input may be acceptable (a NUL in free text, an id nobody has): any status below 500, and a JSON
 * error body when it is refused.
 */
interface Probe {
  what: string
  strict: boolean
  url: string
  body?: string
  contentType?: string
}

const MAX_ID = 2_147_483_647
const MEGABYTE = 'x'.repeat(1024 * 1024)
const NUL = 'a\u0000b'
const LONE_SURROGATE = 'a\ud800b'
const BAD_PATH_IDS = ['abc', '-1', '0', '2147483648', '99999999999999999999', '%00', '1.5', '0x10', '%20']

/** anyOf of single-value enums, as TypeBox writes Type.Union of literals. */
const enumValues = (s: JsonSchema): unknown[] | undefined =>
  s.enum ?? (s.anyOf?.every((a) => a.enum?.length === 1) ? s.anyOf.map((a) => a.enum![0]) : undefined)

const STRING_CANDIDATES = ['hello world', '123456', 'GB', 'example.org', ORCID_ANN, 'abc']

/** A value the schema accepts, so each probe breaks one thing only. */
function sample(s: JsonSchema): unknown {
  const values = enumValues(s)
  if (values) return values[0]
  if (s.default !== undefined && s.type !== 'object') return s.default
  switch (s.type) {
    case 'string': {
      if (s.format === 'email') return 'probe@example.org'
      const fits = (c: string) =>
        (!s.pattern || new RegExp(s.pattern).test(c)) &&
        c.length >= (s.minLength ?? 0) &&
        c.length <= (s.maxLength ?? Number.POSITIVE_INFINITY)
      const found = STRING_CANDIDATES.find(fits)
      if (!found) throw new Error(`no sample string for ${JSON.stringify(s)}`)
      return found
    }
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? 1, 1)
    case 'boolean':
      return true
    case 'array':
      return s.minItems ? [sample(s.items ?? {})] : []
    case 'object':
      return Object.fromEntries((s.required ?? []).map((k) => [k, sample(s.properties![k]!)]))
    default:
      return 'x'
  }
}

const isObjectSchema = (s: JsonSchema) => s.type === 'object' || s.properties !== undefined

/** Wrong values for one property (or query value): [what, value, strict]. */
function wrongValues(s: JsonSchema): [string, unknown, boolean][] {
  const out: [string, unknown, boolean][] = [
    ['a nested object', { nested: { x: 1 } }, !isObjectSchema(s)],
    // coerceTypes 'array' unwraps one-item arrays, so [[1]] is [1] to a list of integers.
    ['an array of arrays', [[1]], s.type !== 'array'],
    ['null', null, false], // the app coerces null to ''/0/false; only "no 5xx" is required
  ]
  if (enumValues(s)) out.push(['a value outside the enum', 'bogus', true])
  switch (s.type) {
    case 'string':
      out.push(
        ['a 1 MB string', MEGABYTE, s.maxLength !== undefined],
        ['a NUL byte', NUL, false],
        ['a lone surrogate', LONE_SURROGATE, false],
        ['an empty string', '', (s.minLength ?? 0) > 0],
      )
      break
    case 'integer':
    case 'number':
      out.push(
        ['a word', 'abc', true],
        ['"Infinity"', 'Infinity', true],
        ['"1e999"', '1e999', true],
        ['-1', -1, (s.minimum ?? Number.NEGATIVE_INFINITY) >= 0],
        ['2147483648', 2_147_483_648, s.maximum !== undefined],
        ['1e308', 1e308, s.maximum !== undefined],
        ['an unknown id', MAX_ID, false],
      )
      if (s.type === 'integer') out.push(['a fraction', 1.5, true])
      break
    case 'boolean':
      out.push(['a word', 'maybe', true])
      break
    case 'array':
      out.push(
        ['a string', 'abc', s.items?.type === 'integer' || s.items?.pattern !== undefined],
        [
          'too many items',
          Array.from({ length: (s.maxItems ?? 1000) + 1 }, () => sample(s.items ?? {})),
          true,
        ],
      )
      if (s.items)
        for (const [what, v, strict] of wrongValues(s.items)) out.push([`an item ${what}`, [v], strict])
      break
    case 'object':
      out.push(['a string', 'abc', true])
      break
  }
  return out
}

function probes(route: Route, idFor: (route: Route) => number): Probe[] {
  const params = route.op.parameters ?? []
  const pathParams = params.filter((p) => p.in === 'path')
  const query = params.filter((p) => p.in === 'query')
  const bodySchema = route.op.requestBody?.content?.['application/json']?.schema
  const goodId = pathParams.length > 0 ? idFor(route) : 0
  const urlWith = (id: string, search = '') => {
    const path = route.path.replace(/\{[^}]+\}/g, id)
    return search ? `${path}?${search}` : path
  }
  // Required query values without a default (the researcher search's q).
  const requiredQuery = query
    .filter((p) => p.required && p.schema.default === undefined)
    .map((p) => `${p.name}=${encodeURIComponent(String(sample(p.schema)))}`)
  const goodUrl = urlWith(String(goodId), requiredQuery.join('&'))
  const goodBody = bodySchema ? JSON.stringify(sample(bodySchema)) : undefined
  const json = (what: string, strict: boolean, body: unknown, url = goodUrl): Probe => ({
    what,
    strict,
    url,
    body: JSON.stringify(body),
  })
  const out: Probe[] = []

  for (const bad of pathParams.length > 0 ? BAD_PATH_IDS : []) {
    out.push({
      what: `path id ${bad}`,
      strict: true,
      url: urlWith(bad),
      ...(goodBody ? { body: goodBody } : {}),
    })
  }
  if (pathParams.length > 0) {
    const unknown = urlWith(String(MAX_ID), requiredQuery.join('&'))
    out.push({
      what: 'an unknown path id',
      strict: false,
      url: unknown,
      ...(goodBody ? { body: goodBody } : {}),
    })
  }

  for (const p of query) {
    const others = requiredQuery.filter((q) => !q.startsWith(`${p.name}=`))
    const withValue = (raw: string) => urlWith(String(goodId), [...others, `${p.name}=${raw}`].join('&'))
    const type = p.schema.type ?? (enumValues(p.schema) ? 'enum' : 'unknown')
    const cases: [string, string, boolean][] = [
      ['a NUL byte', '%00', type !== 'string'],
      ['a lone surrogate', '%ED%A0%80', type !== 'string'],
      ['a broken escape', '%E0%A4%A', type !== 'string'],
      ['a nested key', `x&${p.name}[a]=1`, type !== 'string'],
    ]
    if (type === 'integer' || type === 'number') {
      cases.push(
        ['a word', 'abc', true],
        ['NaN', 'NaN', true],
        ['Infinity', 'Infinity', true],
        ['-1', '-1', (p.schema.minimum ?? Number.NEGATIVE_INFINITY) >= 0],
        ['a huge number', '99999999999999999999', p.schema.maximum !== undefined],
        ['twice', `1&${p.name}=2`, true],
      )
      if (type === 'integer') cases.push(['a fraction', '1.5', true])
    } else if (type === 'boolean') {
      cases.push(['a word', 'maybe', true], ['twice', `true&${p.name}=false`, true])
    } else if (type === 'array') {
      const items = p.schema.items ?? {}
      cases.push(
        ['a bad item', 'abc', items.type === 'integer' || items.pattern !== undefined],
        [
          'too many items',
          Array((p.schema.maxItems ?? 100) + 1)
            .fill(encodeURIComponent(String(sample(items))))
            .join(`&${p.name}=`),
          true,
        ],
      )
    } else if (type === 'enum') {
      cases.push(['a value outside the enum', 'bogus', true], ['twice', `x&${p.name}=y`, true])
    } else if (type === 'string') {
      cases.push(
        ['a 10 kB string', 'x'.repeat(10_000), p.schema.maxLength !== undefined],
        ['twice', `ab&${p.name}=cd`, false],
      )
    }
    for (const [what, raw, strict] of cases)
      out.push({ what: `query ${p.name}: ${what}`, strict, url: withValue(raw) })
    if (p.required && p.schema.default === undefined) {
      out.push({
        what: `query ${p.name} missing`,
        strict: true,
        url: urlWith(String(goodId), others.join('&')),
      })
    }
  }

  const takesBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH'
  if (takesBody || bodySchema) {
    // Fastify parses a JSON body on these methods whatever the schema says.
    out.push(
      {
        what: 'invalid JSON',
        strict: takesBody,
        url: goodUrl,
        body: '{"a":',
        contentType: 'application/json',
      },
      { what: 'a __proto__ key', strict: takesBody, url: goodUrl, body: '{"__proto__":{"x":1}}' },
      {
        what: 'deeply nested JSON',
        strict: false,
        url: goodUrl,
        body: `${'['.repeat(5000)}${']'.repeat(5000)}`,
      },
    )
  }
  if (bodySchema) {
    const required = bodySchema.required ?? []
    out.push(
      json('an array body', true, []),
      json('an array of the body', true, [sample(bodySchema)]),
      json('a null body', true, null),
      json('a string body', true, 'abc'),
      json('a number body', true, 42),
      { what: 'an empty JSON body', strict: true, url: goodUrl, body: '' },
      { what: 'a text/plain body', strict: true, url: goodUrl, body: 'hello', contentType: 'text/plain' },
      json('an empty object', required.length > 0 || (bodySchema.minProperties ?? 0) > 0, {}),
      json('an unknown 1 MB field', bodySchema.additionalProperties === false, {
        ...(sample(bodySchema) as object),
        padding: MEGABYTE,
      }),
    )
    const base = sample(bodySchema) as Record<string, unknown>
    // A required field with a default is filled in by the schema, so leaving it out is fine.
    for (const key of required.filter((k) => bodySchema.properties?.[k]?.default === undefined)) {
      const { [key]: _, ...rest } = base
      out.push(json(`body ${key} missing`, true, rest))
    }
    for (const [key, prop] of Object.entries(bodySchema.properties ?? {})) {
      for (const [what, value, strict] of wrongValues(prop))
        out.push(json(`body ${key}: ${what}`, strict, { ...base, [key]: value }))
      // One level down: the expert search's filters and conflicts.
      for (const [inner, innerProp] of Object.entries(prop.properties ?? {})) {
        const nested = (sample(prop) ?? {}) as Record<string, unknown>
        for (const [what, value, strict] of wrongValues(innerProp)) {
          out.push(
            json(`body ${key}.${inner}: ${what}`, strict, { ...base, [key]: { ...nested, [inner]: value } }),
          )
        }
      }
      // Open items (pushed works): wrong types for the fields the importer reads.
      if (prop.items && prop.items.additionalProperties === true) {
        for (const [what, item] of openWorkItems())
          out.push(json(`body ${key}[0]: ${what}`, false, { ...base, [key]: [item] }))
      }
    }
  }
  return out
}

/** Works in OpenAlex shape with one field wrong each. */
function openWorkItems(): [string, unknown][] {
  const author = { id: 'A-probe', display_name: 'Probe Author' }
  const institution = { id: 'I-probe', display_name: 'Probe University' }
  const good = { id: 'W-probe', title: 'A probe', authorships: [{ author }] }
  const items: [string, unknown][] = [
    ['a string item', 'abc'],
    ['an array item', [good]],
  ]
  const vary = (
    label: string,
    values: Record<string, unknown[]>,
    make: (field: string, v: unknown) => unknown,
  ) => {
    for (const [field, list] of Object.entries(values)) {
      for (const [i, value] of list.entries()) items.push([`${label}${field} #${i}`, make(field, value)])
    }
  }
  vary(
    '',
    {
      id: [{ x: 1 }, 42, '', NUL, LONE_SURROGATE, MEGABYTE],
      title: [{ x: 1 }, ['t'], NUL, LONE_SURROGATE, MEGABYTE],
      abstract: [{ x: 1 }, NUL, LONE_SURROGATE],
      abstract_inverted_index: ['abc', { word: 'abc' }, { word: [-1] }, { word: [1e9] }, { [NUL]: [0] }],
      doi: [{ x: 1 }, `10.1234/${NUL}`, `10.1234/${MEGABYTE}`],
      publication_year: ['2020', 1.5, -1, 1e20],
      type: [{ x: 1 }, NUL, MEGABYTE],
      venue: [{ x: 1 }, NUL, MEGABYTE],
      primary_location: ['abc', { source: 'abc' }, { source: { display_name: NUL } }],
      authorships: ['abc', [null], [{ author: 'abc' }], [{ author: { display_name: 'No Id' } }]],
      topics: [
        'abc',
        [null],
        [{ id: NUL, display_name: NUL, score: 'high' }],
        [{ id: MEGABYTE, display_name: 'T' }],
      ],
    },
    (field, value) => ({ ...good, [field]: value }),
  )
  vary(
    'author ',
    {
      id: [{ x: 1 }, NUL, LONE_SURROGATE, MEGABYTE],
      display_name: [{ x: 1 }, NUL, LONE_SURROGATE, MEGABYTE],
      orcid: [{ x: 1 }, NUL, 'https://orcid.org/0000-0000-0000-000X'],
    },
    (field, value) => ({ ...good, authorships: [{ author: { ...author, [field]: value } }] }),
  )
  vary(
    'institution ',
    {
      id: [{ x: 1 }, NUL, LONE_SURROGATE, MEGABYTE],
      display_name: [{ x: 1 }, NUL, MEGABYTE],
      ror: [NUL, LONE_SURROGATE, MEGABYTE],
      country_code: [{ x: 1 }, NUL, 'XYZ'],
    },
    (field, value) => ({
      ...good,
      authorships: [{ author, institutions: [{ ...institution, [field]: value }] }],
    }),
  )
  return items
}

/** Every table's contents, hashed: a refused request must leave it as it was. */
async function fingerprint(database: Database): Promise<Map<string, string>> {
  const tables = await database.rows<{ name: string }>(
    sql`select quote_ident(tablename) as name from pg_tables where schemaname = 'public' order by 1`,
  )
  const parts = tables.map(
    (t) =>
      `select '${t.name}' as name, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as hash from ${t.name} x`,
  )
  const rows = await database.rows<{ name: string; hash: string }>(sql.raw(parts.join(' union all ')))
  return new Map(rows.map((r) => [r.name, r.hash]))
}

/** What is wrong with an answer, or null. */
function problem(probe: Probe, res: Awaited<ReturnType<FastifyInstance['inject']>>): string | null {
  if (res.statusCode >= 500) return `${res.statusCode} ${res.body.slice(0, 200)}`
  if (probe.strict && res.statusCode < 400)
    return `accepted with ${res.statusCode}: ${res.body.slice(0, 200)}`
  if (res.statusCode < 400) return null
  if (!String(res.headers['content-type']).startsWith('application/json')) {
    return `${res.statusCode} is not JSON: ${res.headers['content-type']}`
  }
  try {
    const { error } = res.json() as { error?: { code?: unknown; message?: unknown } }
    if (typeof error?.code !== 'string' || typeof error.message !== 'string' || error.message === '') {
      return `${res.statusCode} without an error code and message: ${res.body.slice(0, 200)}`
    }
  } catch {
    return `${res.statusCode} body is not JSON: ${res.body.slice(0, 200)}`
  }
  return null
}

t.test('malformed requests get a 4xx JSON error on every documented route, never a 5xx', async (t) => {
  const database = await freshDatabase()
  // No sweeper ticks in the middle of a route's probes: they would change tables on their own.
  const app = await build(t, {
    database,
    config: { REALTIME_OUTBOX_SWEEP_SECONDS: 3600, REALTIME_INVITATION_SWEEP_SECONDS: 3600 },
  })
  const cat = await seedCatalogue(app)
  const admin = await signUp(app, 'admin')
  const officer = await signUp(app, 'programme_officer')
  const claimed = await signUp(app, 'researcher', 'Claimed')
  const bystander = await signUp(app, 'researcher', 'Bystander')
  const inject = async (options: InjectOptions) => {
    const res = await app.inject(options)
    if (res.statusCode >= 300)
      throw new Error(`${options.method} ${options.url}: ${res.statusCode} ${res.body}`)
    return res.body ? res.json() : null
  }
  // Records for the routes to find, so probes reach past "not found" into the services.
  const claim = await inject({
    method: 'POST',
    url: `/v1/researchers/${cat.ann}/claims`,
    headers: claimed.headers,
    payload: { orcid: ORCID_ANN },
  })
  const pending = await inject({
    method: 'POST',
    url: `/v1/researchers/${cat.dana}/claims`,
    headers: bystander.headers,
    payload: { text: 'I am Dana, see my staff page.' },
  })
  await inject({
    method: 'POST',
    url: `/v1/researchers/${cat.bob}/reports`,
    headers: officer.headers,
    payload: { reason: 'Duplicate record' },
  })
  const report = (await inject({ url: '/v1/admin/reports', headers: admin.headers })).items[0]
  const peerOrcid = '0000-0001-5109-3700'
  await app.services.ingest.importBatch([
    {
      id: 'W-peer',
      title: 'Peer work',
      authorships: [{ author: { id: 'A-peer', display_name: 'Peer Person', orcid: peerOrcid } }],
    },
  ])
  const peerId = (await inject({ url: '/v1/researchers?q=Peer%20Person' })).items[0].id
  const peer = await signUp(app, 'researcher', 'Peer')
  await inject({
    method: 'POST',
    url: `/v1/researchers/${peerId}/claims`,
    headers: peer.headers,
    payload: { orcid: peerOrcid },
  })
  const invitation = await inject({
    method: 'POST',
    url: '/v1/invitations',
    headers: peer.headers,
    payload: { inviteeResearcherId: cat.ann, message: 'Shall we?' },
  })
  const { conversationId } = await inject({
    method: 'POST',
    url: `/v1/invitations/${invitation.id}/accept`,
    headers: claimed.headers,
  })
  const workId = (await inject({ url: `/v1/researchers/${cat.ann}/works` })).items[0].id

  const ids: Record<string, number> = {
    '/v1/admin/accounts/{id}/role': bystander.accountId,
    '/v1/researchers/{id}': cat.ann,
    '/v1/researchers/{id}/works': cat.ann,
    '/v1/researchers/{id}/settings': cat.ann,
    '/v1/researchers/{id}/claims': cat.cai,
    '/v1/claims/{id}': claim.id,
    '/v1/claims/{id}/confirm': pending.id,
    '/v1/claims/{id}/code': pending.id,
    '/v1/claims/{id}/release': pending.id,
    '/v1/admin/claims/{id}/decision': pending.id,
    '/v1/admin/institutions/{id}/domains': cat.uni10,
    '/v1/institutions/{id}': cat.uni10,
    '/v1/topics/{id}': cat.topic,
    '/v1/researchers/{id}/reports': cat.bob,
    '/v1/admin/researchers/{id}/verification': cat.bob,
    '/v1/admin/researchers/{id}/suspension': cat.bob,
    '/v1/admin/researchers/{id}/merge': cat.dana,
    '/v1/researchers/{id}/merge': cat.dana,
    '/v1/admin/researchers/{id}/distinct/{otherId}': cat.dana,
    '/v1/admin/reports/{id}/decision': report.id,
    '/v1/researchers/{id}/follow': cat.bob,
    '/v1/researchers/{id}/followers': cat.ann,
    '/v1/researchers/{id}/graph': cat.ann,
    '/v1/works/{id}': workId,
    '/v1/invitations/{id}': invitation.id,
    '/v1/invitations/{id}/accept': invitation.id,
    '/v1/invitations/{id}/decline': invitation.id,
    '/v1/invitations/{id}/withdraw': invitation.id,
    '/v1/blocks/{researcherId}': cat.dana,
    '/v1/conversations/{id}/messages': conversationId,
    '/v1/conversations/{id}/read': conversationId,
    '/v1/researchers/{id}/suggestions': cat.ann,
    '/v1/researchers/{id}/suggestions/dismissed': cat.ann,
    '/v1/researchers/{id}/suggestions/dismissed/{candidateId}': cat.ann,
  }

  const spec = app.swagger() as { paths: Record<string, Record<string, Operation>> }
  const routes: Route[] = Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => method !== 'head')
      .map(([method, op]) => ({ method: method.toUpperCase() as Route['method'], path, op })),
  )
  t.ok(routes.length >= 50, `${routes.length} routes documented`)
  t.same(
    routes
      .filter((r) => r.path.includes('{') && ids[r.path] === undefined)
      .map((r) => `${r.method} ${r.path}`),
    [],
    'every route with a path id has a record to point at',
  )

  const callers: [string, TestUser | null][] = [
    ['anonymous', null],
    ['operator', admin],
    ['officer', officer],
    ['claimed researcher', claimed],
  ]
  /** The tables once work started after an accepted request's commit (notifications, profiles) is done. */
  const settled = async () => {
    await app.services.matchingProfiles.settled()
    await app.services.suggestions.idle()
    for (let last = await fingerprint(database); ; ) {
      await new Promise((resolve) => setTimeout(resolve, 25))
      const next = await fingerprint(database)
      if ([...next].every(([table, hash]) => last.get(table) === hash)) return next
      last = next
    }
  }
  let sent = 0
  let before = await settled()
  for (const route of routes) {
    const name = `${route.method} ${route.path}`
    const list = probes(route, (r) => ids[r.path]!)
    const failures: string[] = []
    let allRefused = true
    for (const [caller, user] of callers) {
      for (const probe of list) {
        const headers: Record<string, string> = { ...(user ? user.headers : {}) }
        if (probe.body !== undefined) headers['content-type'] = probe.contentType ?? 'application/json'
        const res = await app.inject({
          method: route.method,
          url: probe.url,
          headers,
          ...(probe.body !== undefined ? { payload: probe.body } : {}),
        })
        sent++
        if (res.statusCode < 400) allRefused = false
        const wrong = problem(probe, res)
        if (wrong) failures.push(`${caller}, ${probe.what}: ${wrong}`)
      }
    }
    t.same(failures, [], `${name}: ${list.length} probes × ${callers.length} callers`)
    if (allRefused) {
      const after = await fingerprint(database)
      t.same(
        [...after].filter(([table, hash]) => before.get(table) !== hash).map(([table]) => table),
        [],
        `${name}: refused probes change nothing`,
      )
      before = after
    } else {
      before = await settled()
    }
  }
  t.comment(`${sent} requests`)
})

t.test('the 5xx answers this file found, one by one', async (t) => {
  const app = await build(t)
  const admin = await signUp(app, 'admin')
  const officer = await signUp(app, 'programme_officer')

  t.test('a NUL character is a 400 naming the field, and nothing is stored', async (t) => {
    const email = 'nul@example.org'
    const register = await app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email, password: 'correct horse battery staple', displayName: 'Nul\u0000Person' },
    })
    t.equal(register.statusCode, 400, 'PostgreSQL refuses U+0000: this was a 500')
    t.match(register.json().error, {
      code: 'VALIDATION_FAILED',
      details: [{ where: 'body', path: '/displayName', message: 'must not contain NUL characters' }],
    })
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password: 'correct horse battery staple' },
    })
    t.equal(login.statusCode, 401, 'no account was made')
    const lookup = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'a\u0000@example.org', password: 'whatever-whatever' },
    })
    t.equal(lookup.statusCode, 400, 'a NUL in a lookup key too')
    const search = await app.inject({ url: '/v1/researchers?q=a%00b' })
    t.equal(search.statusCode, 400, 'and in a query string')
    t.equal(search.json().error.details[0].where, 'querystring')
  })

  t.test('"Infinity" and "1e999" are refused, not coerced past minimum and maximum', async (t) => {
    for (const url of [
      '/v1/researchers?q=ann&limit=Infinity',
      '/v1/researchers?q=ann&offset=1e999',
      '/v1/researchers/1/graph?depth=Infinity',
      '/v1/notifications?after=-Infinity',
    ]) {
      const res = await app.inject({ url, headers: admin.headers })
      t.equal(res.statusCode, 400, url)
      t.match(res.json().error, { code: 'VALIDATION_FAILED', message: /must be a finite number/ }, url)
    }
    const search = await app.inject({
      method: 'POST',
      url: '/v1/experts/search',
      headers: officer.headers,
      payload: { text: 'graph neural networks', k: 'Infinity' },
    })
    t.equal(search.statusCode, 400, 'a string in a body is coerced the same way')
    t.equal(search.json().error.details[0].path, '/k')
  })

  t.test('pushed works with a lone surrogate in an id, or ids too long to index', async (t) => {
    const push = (work: object) =>
      app.inject({ method: 'POST', url: '/v1/works', headers: admin.headers, payload: { works: [work] } })
    const author = { id: 'A-sur', display_name: 'Sur Rogate' }
    const work = { id: 'W-sur\ud800', title: 'Broken text', authorships: [{ author }] }
    const first = await push(work)
    t.equal(first.statusCode, 200, 'the id no longer misses its own row: this was a 500')
    t.match(first.json(), { inserted: 1 })
    t.match((await push(work)).json(), { unchanged: 1 }, 'and matches it again next time')

    const long = 'x'.repeat(5000)
    const tooLong = await push({ ...work, id: `W${long}` })
    t.equal(tooLong.statusCode, 400, 'an id over the unique index limit was a 500')
    t.match(tooLong.json().error.details, [{ at: 0, reason: 'neither id nor a valid doi' }])
    const extras = await push({
      id: 'W-extras',
      title: 'Extras',
      doi: `10.1234/${long}`,
      topics: [{ id: `T${long}`, display_name: 'Topic' }],
      authorships: [{ author, institutions: [{ id: 'I-x', display_name: 'U', ror: long }] }],
    })
    t.equal(extras.statusCode, 200, 'over-long DOI, topic id and ROR are dropped like other unusable ones')
  })
})
