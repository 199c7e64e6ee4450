import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { MemoryMailer } from '../../src/claims/mailer.js'
import { build } from '../helpers/build.js'
import { type Catalogue, ORCID_ANN, seedCatalogue, signUp, type TestUser } from '../helpers/identity.js'

/**
 * Who may call what. Every route in the OpenAPI document must have a row here (checked below), so a
 * new route (expert search, matching, ...) cannot ship without deciding its audience.
 *   owner = the account that claimed the record (or made the claim) the row is about.
 */
type Actor = 'anonymous' | 'other' | 'owner' | 'officer' | 'admin'
const ACTORS: Actor[] = ['anonymous', 'other', 'owner', 'officer', 'admin']

interface Ctx {
  app: FastifyInstance
  cat: Catalogue
  users: Record<Exclude<Actor, 'anonymous'>, TestUser>
  mailer: MemoryMailer
  workId: number
}
interface Prepared {
  url: string
  body?: (actor: Actor) => unknown
  /** Replaces the shared owner, e.g. for a claim made in the row's own setup. */
  owner?: TestUser
}
interface Row {
  route: string
  expect: [anonymous: number, other: number, owner: number, officer: number, admin: number]
  prepare: (ctx: Ctx) => Promise<Prepared> | Prepared
}

const everyone = (status: number): Row['expect'] => [status, status, status, status, status]
const signedIn = (status: number): Row['expect'] => [401, status, status, status, status]
const adminOnly: Row['expect'] = [401, 403, 403, 403, 200]
const ownerOnly: Row['expect'] = [401, 403, 200, 403, 403]

/** A claim by a fresh account, so the row can spend it. */
async function pendingClaim(ctx: Ctx, researcherId: number, payload: Record<string, unknown>) {
  const claimant = await signUp(ctx.app)
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/researchers/${researcherId}/claims`,
    headers: claimant.headers,
    payload,
  })
  return { claimant, claim: res.json() as { id: number } }
}

let emailCounter = 0

/** An unclaimed record at University 10 of its own, so an email-claim row does not collide with others. */
async function freshRecordAtUni10(ctx: Ctx): Promise<number> {
  const n = ++emailCounter
  const author = { id: `A77${n}`, display_name: `Fresh Author${n}` }
  const institutions = [{ id: 'https://openalex.org/I10', display_name: 'University 10' }]
  await ctx.app.services.ingest.importBatch([
    { id: `W77${n}`, title: `Fresh ${n}`, authorships: [{ author, institutions }] },
  ])
  return (await ctx.app.inject({ url: `/v1/researchers?q=Author${n}` })).json().items[0].id
}
const ROWS: Row[] = [
  { route: 'GET /health', expect: everyone(200), prepare: () => ({ url: '/health' }) },
  { route: 'GET /ready', expect: everyone(200), prepare: () => ({ url: '/ready' }) },
  { route: 'GET /v1/researchers', expect: everyone(200), prepare: () => ({ url: '/v1/researchers?q=ann' }) },
  {
    route: 'GET /v1/researchers/{id}',
    expect: everyone(200),
    prepare: (c) => ({ url: `/v1/researchers/${c.cat.ann}` }),
  },
  {
    route: 'GET /v1/researchers/{id}/works',
    expect: everyone(200),
    prepare: (c) => ({ url: `/v1/researchers/${c.cat.ann}/works` }),
  },
  {
    route: 'GET /v1/researchers/{id}/graph',
    expect: everyone(200),
    prepare: (c) => ({ url: `/v1/researchers/${c.cat.ann}/graph?depth=2` }),
  },
  { route: 'GET /v1/works/{id}', expect: everyone(200), prepare: (c) => ({ url: `/v1/works/${c.workId}` }) },
  {
    route: 'GET /v1/admin/embedding-status',
    expect: adminOnly,
    prepare: () => ({ url: '/v1/admin/embedding-status' }),
  },
  {
    route: 'POST /v1/works',
    expect: adminOnly,
    prepare: () => ({
      url: '/v1/works',
      body: () => ({ works: [{ id: 'W77', title: 'Imported', authorships: [] }] }),
    }),
  },

  // Accounts
  {
    route: 'POST /v1/auth/register',
    expect: everyone(201),
    prepare: () => ({
      url: '/v1/auth/register',
      body: (actor) => ({
        email: `new-${actor}-${++emailCounter}@example.org`,
        password: 'long enough password',
        displayName: 'New',
      }),
    }),
  },
  {
    route: 'POST /v1/auth/login',
    expect: everyone(401),
    prepare: () => ({
      url: '/v1/auth/login',
      body: () => ({ email: 'nobody@example.org', password: 'whatever it is' }),
    }),
  },
  {
    route: 'POST /v1/auth/refresh',
    expect: everyone(401),
    prepare: () => ({ url: '/v1/auth/refresh', body: () => ({ refreshToken: 'unknown' }) }),
  },
  {
    route: 'POST /v1/auth/logout',
    expect: everyone(204),
    prepare: () => ({ url: '/v1/auth/logout', body: () => ({ refreshToken: 'unknown' }) }),
  },
  { route: 'GET /v1/me', expect: signedIn(200), prepare: () => ({ url: '/v1/me' }) },
  {
    route: 'PUT /v1/admin/accounts/{id}/role',
    expect: adminOnly,
    prepare: async (c) => ({
      url: `/v1/admin/accounts/${(await signUp(c.app)).accountId}/role`,
      body: () => ({ role: 'programme_officer' }),
    }),
  },

  // Claims: any account may claim; the owner here already holds Ann, and one record per account.
  {
    route: 'POST /v1/researchers/{id}/claims',
    expect: [401, 201, 409, 201, 201],
    prepare: (c) => ({ url: `/v1/researchers/${c.cat.cai}/claims`, body: () => ({ text: 'It is me' }) }),
  },
  { route: 'GET /v1/me/claims', expect: signedIn(200), prepare: () => ({ url: '/v1/me/claims' }) },
  {
    route: 'GET /v1/claims/{id}',
    expect: [401, 403, 200, 403, 200],
    prepare: async (c) => {
      const { claimant, claim } = await pendingClaim(c, c.cat.dana, { text: 'me' })
      return { url: `/v1/claims/${claim.id}`, owner: claimant }
    },
  },
  {
    route: 'POST /v1/claims/{id}/confirm',
    expect: ownerOnly,
    prepare: async (c) => {
      const email = `fresh-${++emailCounter}@uni10.edu`
      const { claimant, claim } = await pendingClaim(c, await freshRecordAtUni10(c), { email })
      return {
        url: `/v1/claims/${claim.id}/confirm`,
        owner: claimant,
        body: () => ({ code: c.mailer.lastCodeFor(email) }),
      }
    },
  },
  {
    route: 'POST /v1/claims/{id}/code',
    expect: ownerOnly,
    prepare: async (c) => {
      const { claimant, claim } = await pendingClaim(c, c.cat.bob, {
        email: `bob-${++emailCounter}@uni10.edu`,
      })
      return { url: `/v1/claims/${claim.id}/code`, owner: claimant }
    },
  },
  {
    route: 'POST /v1/claims/{id}/release',
    expect: ownerOnly,
    prepare: async (c) => {
      const { claimant, claim } = await pendingClaim(c, c.cat.dana, { text: 'me' })
      return { url: `/v1/claims/${claim.id}/release`, owner: claimant }
    },
  },
  { route: 'GET /v1/admin/claims', expect: adminOnly, prepare: () => ({ url: '/v1/admin/claims' }) },
  {
    route: 'POST /v1/admin/claims/{id}/decision',
    expect: adminOnly,
    prepare: async (c) => {
      const { claim } = await pendingClaim(c, c.cat.dana, { text: 'me' })
      return { url: `/v1/admin/claims/${claim.id}/decision`, body: () => ({ decision: 'reject' }) }
    },
  },
  {
    route: 'PUT /v1/admin/institutions/{id}/domains',
    expect: adminOnly,
    prepare: (c) => ({
      url: `/v1/admin/institutions/${c.cat.uni10}/domains`,
      body: () => ({ domains: ['uni10.edu'] }),
    }),
  },

  // Claimant settings: only the claimant, not even an admin.
  {
    route: 'GET /v1/researchers/{id}/settings',
    expect: ownerOnly,
    prepare: (c) => ({ url: `/v1/researchers/${c.cat.ann}/settings` }),
  },
  {
    route: 'PATCH /v1/researchers/{id}/settings',
    expect: ownerOnly,
    prepare: (c) => ({
      url: `/v1/researchers/${c.cat.ann}/settings`,
      body: () => ({ openToCollaborate: true }),
    }),
  },

  // Trust
  {
    route: 'POST /v1/researchers/{id}/reports',
    expect: signedIn(204),
    prepare: (c) => ({
      url: `/v1/researchers/${c.cat.bob}/reports`,
      body: () => ({ reason: 'looks wrong' }),
    }),
  },
  {
    route: 'PUT /v1/admin/researchers/{id}/verification',
    expect: adminOnly,
    prepare: (c) => ({ url: `/v1/admin/researchers/${c.cat.bob}/verification` }),
  },
  {
    route: 'DELETE /v1/admin/researchers/{id}/verification',
    expect: adminOnly,
    prepare: (c) => ({ url: `/v1/admin/researchers/${c.cat.bob}/verification` }),
  },

  // Follows: an account, not a claim.
  {
    route: 'PUT /v1/researchers/{id}/follow',
    expect: signedIn(200),
    prepare: (c) => ({ url: `/v1/researchers/${c.cat.bob}/follow` }),
  },
  {
    route: 'DELETE /v1/researchers/{id}/follow',
    expect: signedIn(200),
    prepare: (c) => ({ url: `/v1/researchers/${c.cat.bob}/follow` }),
  },
  {
    route: 'GET /v1/researchers/{id}/followers',
    expect: signedIn(200),
    prepare: (c) => ({ url: `/v1/researchers/${c.cat.bob}/followers` }),
  },
  { route: 'GET /v1/me/following', expect: signedIn(200), prepare: () => ({ url: '/v1/me/following' }) },
]

t.test('authorization matrix', async (t) => {
  const mailer = new MemoryMailer()
  const app = await build(t, { mailer })
  const cat = await seedCatalogue(app)
  const users = {
    other: await signUp(app, 'researcher', 'Other'),
    owner: await signUp(app, 'researcher', 'Owner'),
    officer: await signUp(app, 'programme_officer'),
    admin: await signUp(app, 'admin'),
  }
  await app.inject({
    method: 'POST',
    url: `/v1/researchers/${cat.ann}/claims`,
    headers: users.owner.headers,
    payload: { orcid: ORCID_ANN },
  })
  await app.services.claims.setInstitutionDomains(cat.uni10, ['uni10.edu'])
  const workId = (await app.inject({ url: `/v1/researchers/${cat.ann}/works` })).json().items[0].id
  const ctx: Ctx = { app, cat, users, mailer, workId }

  t.test('every documented route has a row', async (t) => {
    const spec = app.swagger() as { paths: Record<string, Record<string, unknown>> }
    const documented = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => m !== 'head')
        .map((m) => `${m.toUpperCase()} ${path}`),
    )
    t.same(
      documented.filter((r) => !ROWS.some((row) => row.route === r)),
      [],
      'routes without a row',
    )
    t.same(
      ROWS.filter((row) => !documented.includes(row.route)).map((r) => r.route),
      [],
      'rows without a route',
    )
  })

  for (const row of ROWS) {
    t.test(row.route, async (t) => {
      const prepared = await row.prepare(ctx)
      const method = row.route.split(' ')[0] as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
      const expected = Object.fromEntries(ACTORS.map((a, i) => [a, row.expect[i]!])) as Record<Actor, number>
      // Refusals first: a refused call must leave the state the permitted call then relies on.
      const order = [...ACTORS].sort((a, b) => Number(expected[a] < 300) - Number(expected[b] < 300))
      for (const actor of order) {
        const user =
          actor === 'anonymous' ? null : actor === 'owner' ? (prepared.owner ?? users.owner) : users[actor]
        const body = prepared.body?.(actor)
        const res = await app.inject({
          method,
          url: prepared.url,
          ...(user ? { headers: user.headers } : {}),
          ...(body === undefined ? {} : { payload: body as object }),
        })
        t.equal(
          res.statusCode,
          expected[actor],
          `${actor}: ${res.statusCode === expected[actor] ? '' : res.body}`,
        )
        if (res.statusCode >= 400) t.type(res.json().error.code, 'string', `${actor} gets a JSON error`)
      }
    })
  }

  t.test('a forged or malformed token is 401 everywhere, even on public routes', async (t) => {
    for (const authorization of ['Bearer nonsense', 'Basic abc', `Bearer ${users.admin.token}x`]) {
      const res = await app.inject({ url: `/v1/researchers/${cat.ann}`, headers: { authorization } })
      t.equal(res.statusCode, 401, authorization.slice(0, 12))
    }
  })
})
