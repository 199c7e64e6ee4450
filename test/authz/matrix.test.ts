import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { MemoryMailer } from '../../src/infra/mailer.js'
import { build } from '../helpers/build.js'
import {
  type Catalogue,
  ORCID_ANN,
  seedCatalogue,
  signUp,
  TEST_PASSWORD,
  type TestUser,
} from '../helpers/identity.js'

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
  /** Tells apart several rows for one route. */
  label?: string
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

const message = 'Shall we work together?'

/** An ORCID iD with a valid ISO 7064 check digit, unique per n and never Ann's. */
function orcidFor(n: number): string {
  const digits = `0009${String(n).padStart(11, '0')}`
  let total = 0
  for (const char of digits) total = (total + Number(char)) * 2
  const check = (12 - (total % 11)) % 11
  const full = `${digits}${check === 10 ? 'X' : check}`
  return full.match(/.{4}/g)!.join('-')
}

/** A fresh account holding a fresh record, claimed by ORCID so it is approved at once. */
async function claimedAccount(ctx: Ctx): Promise<TestUser & { researcherId: number; orcid: string }> {
  const n = ++emailCounter
  const name = `Party Member${n}`
  const orcid = orcidFor(n)
  const author = { id: `A88${n}`, display_name: name, orcid: `https://orcid.org/${orcid}` }
  await ctx.app.services.ingest.importBatch([
    { id: `W88${n}`, title: `Party ${n}`, authorships: [{ author }] },
  ])
  const found = (await ctx.app.inject({ url: `/v1/researchers?q=Member${n}` })).json().items as {
    id: number
    name: string
  }[]
  const researcherId = found.find((r) => r.name === name)!.id
  const user = await signUp(ctx.app, 'researcher', name)
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/researchers/${researcherId}/claims`,
    headers: user.headers,
    payload: { orcid },
  })
  if (res.statusCode !== 201 || res.json().status !== 'approved') throw new Error(`claim failed: ${res.body}`)
  return { ...user, researcherId, orcid }
}

async function send(ctx: Ctx, method: 'POST' | 'PUT', url: string, user: TestUser, payload?: object) {
  const res = await ctx.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) })
  if (res.statusCode >= 300) throw new Error(`${method} ${url} failed: ${res.statusCode} ${res.body}`)
  return res.json()
}

/** A pending invitation; `to` is a claimed record id. */
async function invite(ctx: Ctx, from: TestUser, to: number): Promise<number> {
  const sent = await send(ctx, 'POST', '/v1/invitations', from, {
    inviteeResearcherId: to,
    message,
  })
  return sent.id
}

/** A conversation between the shared owner (Ann's claimant) and a fresh claimed account, with one message. */
async function conversationWithOwner(ctx: Ctx) {
  const peer = await claimedAccount(ctx)
  const id = await invite(ctx, peer, ctx.cat.ann)
  const { conversationId } = await send(ctx, 'POST', `/v1/invitations/${id}/accept`, ctx.users.owner)
  await send(ctx, 'POST', `/v1/conversations/${conversationId}/messages`, peer, {
    clientMessageId: 'hello',
    body: 'Hello',
  })
  return { peer, conversationId: conversationId as number }
}

const partiesOnly = (status: number): Row['expect'] => [401, 404, status, 404, 404]
const claimantOnly = (status: number): Row['expect'] => [401, 403, status, 403, 403]

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
    route: 'GET /v1/institutions',
    expect: everyone(200),
    prepare: () => ({ url: '/v1/institutions?q=univ' }),
  },
  {
    route: 'GET /v1/institutions/{id}',
    expect: everyone(200),
    prepare: (c) => ({ url: `/v1/institutions/${c.cat.uni10}` }),
  },
  { route: 'GET /v1/topics', expect: everyone(200), prepare: () => ({ url: '/v1/topics?q=pro' }) },
  {
    route: 'GET /v1/topics/{id}',
    expect: everyone(200),
    prepare: (c) => ({ url: `/v1/topics/${c.cat.topic}` }),
  },
  {
    // Personal: they follow the record's private settings, and only its claimant is told about them.
    route: 'GET /v1/researchers/{id}/suggestions',
    expect: ownerOnly,
    prepare: (c) => ({ url: `/v1/researchers/${c.cat.ann}/suggestions` }),
  },
  {
    route: 'PUT /v1/researchers/{id}/suggestions/dismissed/{candidateId}',
    expect: ownerOnly,
    prepare: (c) => ({ url: `/v1/researchers/${c.cat.ann}/suggestions/dismissed/${c.cat.bob}` }),
  },
  {
    route: 'DELETE /v1/researchers/{id}/suggestions/dismissed/{candidateId}',
    expect: ownerOnly,
    prepare: (c) => ({ url: `/v1/researchers/${c.cat.ann}/suggestions/dismissed/${c.cat.bob}` }),
  },
  {
    route: 'GET /v1/researchers/{id}/suggestions/dismissed',
    expect: ownerOnly,
    prepare: (c) => ({ url: `/v1/researchers/${c.cat.ann}/suggestions/dismissed` }),
  },
  {
    route: 'POST /v1/experts/search',
    expect: [401, 403, 403, 200, 200],
    prepare: () => ({
      url: '/v1/experts/search',
      body: () => ({ text: 'graph networks for proteins', k: 5 }),
    }),
  },
  {
    route: 'POST /v1/experts/affinity',
    expect: [401, 403, 403, 200, 200],
    prepare: (c) => ({
      url: '/v1/experts/affinity',
      body: () => ({ text: 'graph networks for proteins', researcherIds: [c.cat.ann] }),
    }),
  },
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
  {
    route: 'POST /v1/auth/password-reset',
    expect: everyone(202),
    prepare: () => ({ url: '/v1/auth/password-reset', body: () => ({ email: 'nobody@example.org' }) }),
  },
  {
    // Only the mailed token counts, whoever sends it.
    route: 'POST /v1/auth/password-reset/confirm',
    expect: everyone(400),
    prepare: () => ({
      url: '/v1/auth/password-reset/confirm',
      body: () => ({ token: 'unknown', newPassword: 'long enough password' }),
    }),
  },
  { route: 'GET /v1/me', expect: signedIn(200), prepare: () => ({ url: '/v1/me' }) },
  { route: 'GET /v1/me/export', expect: signedIn(200), prepare: () => ({ url: '/v1/me/export' }) },
  {
    route: 'PATCH /v1/me',
    expect: signedIn(200),
    prepare: () => ({ url: '/v1/me', body: (actor) => ({ displayName: `The ${actor}` }) }),
  },
  {
    // Anyone signed in may delete their own account; a wrong password keeps the shared users alive
    // (test/accounts/deletion.test.ts deletes for real).
    route: 'DELETE /v1/me',
    expect: signedIn(403),
    prepare: () => ({ url: '/v1/me', body: () => ({ password: 'not the password' }) }),
  },
  {
    // The same password again: each caller's own account, and the shared users keep theirs.
    route: 'POST /v1/me/password',
    expect: signedIn(200),
    prepare: () => ({
      url: '/v1/me/password',
      body: () => ({ currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }),
    }),
  },
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
  { route: 'GET /v1/admin/reports', expect: adminOnly, prepare: () => ({ url: '/v1/admin/reports' }) },
  {
    route: 'POST /v1/admin/reports/{id}/decision',
    expect: adminOnly,
    prepare: async (c) => {
      const reporter = await signUp(c.app)
      await c.app.inject({
        method: 'POST',
        url: `/v1/researchers/${c.cat.cai}/reports`,
        headers: reporter.headers,
        payload: { reason: 'duplicate record' },
      })
      const open = await c.app.services.moderation.reports('open', 100, 0)
      const report = open.items.find((r) => r.reporterAccountId === reporter.accountId)!
      return { url: `/v1/admin/reports/${report.id}/decision`, body: () => ({ decision: 'dismiss' }) }
    },
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
  {
    route: 'PUT /v1/admin/researchers/{id}/suspension',
    expect: adminOnly,
    prepare: (c) => ({
      url: `/v1/admin/researchers/${c.cat.bob}/suspension`,
      body: () => ({ reason: 'a fake profile' }),
    }),
  },
  {
    route: 'DELETE /v1/admin/researchers/{id}/suspension',
    expect: [401, 403, 403, 403, 204],
    prepare: (c) => ({ url: `/v1/admin/researchers/${c.cat.bob}/suspension` }),
  },
  {
    route: 'GET /v1/admin/suspensions',
    expect: adminOnly,
    prepare: () => ({ url: '/v1/admin/suspensions' }),
  },
  {
    route: 'POST /v1/admin/researchers/{id}/merge',
    expect: adminOnly,
    prepare: async (c) => {
      const [survivor, duplicate] = [await freshRecordAtUni10(c), await freshRecordAtUni10(c)]
      return { url: `/v1/admin/researchers/${survivor}/merge`, body: () => ({ duplicateId: duplicate }) }
    },
  },
  {
    route: 'POST /v1/researchers/{id}/merge',
    expect: ownerOnly,
    prepare: async (c) => {
      const owner = await claimedAccount(c)
      const author = { id: `A89${emailCounter}`, display_name: 'P. Member', orcid: owner.orcid }
      await c.app.services.ingest.importBatch([
        { id: `W89${emailCounter}`, title: 'Party, again', authorships: [{ author }] },
      ])
      const [other] = (await c.app.inject({ url: `/v1/researchers/${owner.researcherId}` })).json().sameOrcid
      return {
        url: `/v1/researchers/${owner.researcherId}/merge`,
        body: () => ({ duplicateId: other.id }),
        owner,
      }
    },
  },
  {
    route: 'GET /v1/admin/duplicates',
    expect: adminOnly,
    prepare: () => ({ url: '/v1/admin/duplicates' }),
  },
  {
    route: 'GET /v1/admin/duplicates/by-name',
    expect: adminOnly,
    prepare: () => ({ url: '/v1/admin/duplicates/by-name' }),
  },
  {
    route: 'PUT /v1/admin/researchers/{id}/distinct/{otherId}',
    expect: [401, 403, 403, 403, 204],
    prepare: (c) => ({ url: `/v1/admin/researchers/${c.cat.bob}/distinct/${c.cat.cai}` }),
  },
  {
    route: 'DELETE /v1/admin/researchers/{id}/distinct/{otherId}',
    expect: [401, 403, 403, 403, 204],
    prepare: (c) => ({ url: `/v1/admin/researchers/${c.cat.bob}/distinct/${c.cat.cai}` }),
  },
  {
    route: 'GET /v1/admin/merges',
    expect: adminOnly,
    prepare: () => ({ url: '/v1/admin/merges' }),
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

  // Invitations: only an account holding a claimed record invites, and only a claimed record can be
  // invited. Only the two parties see one (others get 404, not even its existence); the invitee accepts
  // or declines, the sender withdraws. Officers and admins hold no claim here, so they are strangers too.
  {
    route: 'POST /v1/invitations',
    expect: claimantOnly(201),
    prepare: async (c) => {
      const { researcherId } = await claimedAccount(c)
      return { url: '/v1/invitations', body: () => ({ inviteeResearcherId: researcherId, message }) }
    },
  },
  {
    route: 'POST /v1/invitations',
    label: 'to a record nobody claimed',
    expect: claimantOnly(409),
    prepare: async (c) => {
      const researcherId = await freshRecordAtUni10(c)
      return { url: '/v1/invitations', body: () => ({ inviteeResearcherId: researcherId, message }) }
    },
  },
  {
    route: 'POST /v1/invitations',
    label: 'to a researcher who blocked the sender',
    expect: claimantOnly(403),
    prepare: async (c) => {
      const blocker = await claimedAccount(c)
      await send(c, 'PUT', `/v1/blocks/${c.cat.ann}`, blocker)
      return {
        url: '/v1/invitations',
        body: () => ({ inviteeResearcherId: blocker.researcherId, message }),
      }
    },
  },
  { route: 'GET /v1/invitations', expect: signedIn(200), prepare: () => ({ url: '/v1/invitations' }) },
  {
    route: 'GET /v1/invitations/{id}',
    expect: partiesOnly(200),
    prepare: async (c) => {
      const id = await invite(c, c.users.owner, (await claimedAccount(c)).researcherId)
      return { url: `/v1/invitations/${id}` }
    },
  },
  {
    route: 'POST /v1/invitations/{id}/accept',
    expect: partiesOnly(200),
    prepare: async (c) => ({
      url: `/v1/invitations/${await invite(c, await claimedAccount(c), c.cat.ann)}/accept`,
    }),
  },
  {
    route: 'POST /v1/invitations/{id}/accept',
    label: 'by the sender',
    expect: partiesOnly(403),
    prepare: async (c) => {
      const id = await invite(c, c.users.owner, (await claimedAccount(c)).researcherId)
      return { url: `/v1/invitations/${id}/accept` }
    },
  },
  {
    route: 'POST /v1/invitations/{id}/decline',
    expect: partiesOnly(200),
    prepare: async (c) => ({
      url: `/v1/invitations/${await invite(c, await claimedAccount(c), c.cat.ann)}/decline`,
    }),
  },
  {
    route: 'POST /v1/invitations/{id}/decline',
    label: 'by the sender',
    expect: partiesOnly(403),
    prepare: async (c) => {
      const id = await invite(c, c.users.owner, (await claimedAccount(c)).researcherId)
      return { url: `/v1/invitations/${id}/decline` }
    },
  },
  {
    route: 'POST /v1/invitations/{id}/withdraw',
    expect: partiesOnly(200),
    prepare: async (c) => {
      const id = await invite(c, c.users.owner, (await claimedAccount(c)).researcherId)
      return { url: `/v1/invitations/${id}/withdraw` }
    },
  },
  {
    route: 'POST /v1/invitations/{id}/withdraw',
    label: 'by the invitee',
    expect: partiesOnly(403),
    prepare: async (c) => ({
      url: `/v1/invitations/${await invite(c, await claimedAccount(c), c.cat.ann)}/withdraw`,
    }),
  },

  // Blocks belong to a claimed record: an account without one has nothing to block from.
  {
    route: 'PUT /v1/blocks/{researcherId}',
    expect: claimantOnly(200),
    prepare: async (c) => ({ url: `/v1/blocks/${await freshRecordAtUni10(c)}` }),
  },
  {
    route: 'DELETE /v1/blocks/{researcherId}',
    expect: claimantOnly(204),
    prepare: async (c) => {
      const url = `/v1/blocks/${await freshRecordAtUni10(c)}`
      await send(c, 'PUT', url, c.users.owner)
      return { url }
    },
  },
  { route: 'GET /v1/blocks', expect: claimantOnly(200), prepare: () => ({ url: '/v1/blocks' }) },

  // Conversations: members only; everyone else, officers and admins included, gets 404.
  { route: 'GET /v1/conversations', expect: signedIn(200), prepare: () => ({ url: '/v1/conversations' }) },
  {
    route: 'GET /v1/conversations/{id}/messages',
    expect: partiesOnly(200),
    prepare: async (c) => ({
      url: `/v1/conversations/${(await conversationWithOwner(c)).conversationId}/messages`,
    }),
  },
  {
    route: 'POST /v1/conversations/{id}/messages',
    expect: partiesOnly(201),
    prepare: async (c) => ({
      url: `/v1/conversations/${(await conversationWithOwner(c)).conversationId}/messages`,
      body: (actor) => ({ clientMessageId: `from-${actor}`, body: 'Hi there' }),
    }),
  },
  {
    route: 'POST /v1/conversations/{id}/messages',
    label: 'after a block',
    expect: partiesOnly(403),
    prepare: async (c) => {
      const { peer, conversationId } = await conversationWithOwner(c)
      await send(c, 'PUT', `/v1/blocks/${c.cat.ann}`, peer)
      return {
        url: `/v1/conversations/${conversationId}/messages`,
        body: (actor) => ({ clientMessageId: `from-${actor}`, body: 'Hi there' }),
      }
    },
  },
  {
    route: 'POST /v1/conversations/{id}/read',
    expect: partiesOnly(200),
    prepare: async (c) => ({
      url: `/v1/conversations/${(await conversationWithOwner(c)).conversationId}/read`,
      body: () => ({ seq: 1 }),
    }),
  },

  // Notifications: each account reads its own.
  { route: 'GET /v1/notifications', expect: signedIn(200), prepare: () => ({ url: '/v1/notifications' }) },
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
    t.test(row.label ? `${row.route} (${row.label})` : row.route, async (t) => {
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
