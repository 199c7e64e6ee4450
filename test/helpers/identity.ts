import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import type { Role } from '../../src/infra/auth/tokens.js'
import { importFile } from '../../src/ingest/file-import.js'
import type { Member } from './members.js'

export interface TestUser {
  accountId: number
  token: string
  refreshToken: string
  email: string
  headers: { authorization: string }
}

let counter = 0

/** Registers over HTTP (or creates directly for other roles) and returns a ready bearer header. */
/** Every account signUp makes has this password. */
export const TEST_PASSWORD = 'correct horse battery staple'

export async function signUp(
  app: FastifyInstance,
  role: Role = 'researcher',
  name?: string,
): Promise<TestUser> {
  counter += 1
  const email = `${(name ?? role).toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${counter}-${process.pid}@example.org`
  const password = TEST_PASSWORD
  let res: Awaited<ReturnType<FastifyInstance['inject']>>
  if (role === 'researcher') {
    res = await app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email, password, displayName: name ?? 'Researcher' },
    })
  } else {
    // Only the CLI and admins hand out other roles; the service call stands in for them.
    await app.services.accounts.create({ email, password, displayName: name ?? role, role })
    res = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } })
  }
  if (res.statusCode >= 300) throw new Error(`sign-up failed: ${res.statusCode} ${res.body}`)
  const session = res.json()
  return {
    accountId: session.account.id,
    token: session.accessToken,
    refreshToken: session.refreshToken,
    email,
    headers: { authorization: `Bearer ${session.accessToken}` },
  }
}

export const ORCID_ANN = '0000-0002-1825-0097'

const fixture = fileURLToPath(new URL('../fixtures/works-with-errors.jsonl', import.meta.url))

export interface Catalogue {
  ann: number
  bob: number
  cai: number
  dana: number
  /** Ann's institution (University 10). */
  uni10: number
  /** Ann's first topic. */
  topic: number
}

/**
 * The shared fixture: Ann (ORCID, University 10) wrote W1, W2 with Bob (close collaborator),
 * W2 also with Cai; Cai wrote W4 with Dana, so Dana is two hops from Ann.
 */
export async function seedCatalogue(app: FastifyInstance): Promise<Catalogue> {
  await importFile(app.services.ingest, fixture)
  const find = async (q: string): Promise<number> =>
    (await app.inject({ url: `/v1/researchers?q=${q}` })).json().items[0].id
  const ann = await find('Ann%20Lee')
  const profile = (await app.inject({ url: `/v1/researchers/${ann}` })).json()
  return {
    ann,
    bob: await find('Bob'),
    cai: await find('Cai'),
    dana: await find('Dana'),
    uni10: profile.institution.id,
    topic: profile.topTopics[0].id,
  }
}

/** A clock tests can move. */
export function movableClock(start = new Date('2026-01-01T00:00:00Z')) {
  let now = start.getTime()
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms
    },
  }
}

/** A new access token for a user whose token the test clock has expired. */
export async function renew(app: FastifyInstance, user: TestUser): Promise<void> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/auth/refresh',
    payload: { refreshToken: user.refreshToken },
  })
  if (res.statusCode !== 200) throw new Error(`refresh failed: ${res.statusCode} ${res.body}`)
  const session = res.json()
  user.token = session.accessToken
  user.refreshToken = session.refreshToken
  user.headers.authorization = `Bearer ${session.accessToken}`
}

/** Signs up and claims Ann's record by ORCID (approved at once): a member with a real password. */
export async function annClaimant(
  app: FastifyInstance,
  ann: number,
): Promise<{ user: TestUser; member: Member }> {
  const user = await signUp(app, 'researcher', 'Ann Lee')
  const claim = await app.inject({
    method: 'POST',
    url: `/v1/researchers/${ann}/claims`,
    headers: user.headers,
    payload: { orcid: ORCID_ANN },
  })
  if (claim.json().status !== 'approved') throw new Error(`claim failed: ${claim.body}`)
  const member = {
    accountId: user.accountId,
    researcherId: ann,
    externalId: null,
    name: 'Ann Lee',
    token: user.token,
  }
  return { user, member }
}

/** The user lets go of their (first) claim over HTTP. */
export async function releaseOwnClaim(app: FastifyInstance, user: TestUser) {
  const claims = (await app.inject({ url: '/v1/me/claims', headers: user.headers })).json()
  return app.inject({
    method: 'POST',
    url: `/v1/claims/${claims.items[0].id}/release`,
    headers: user.headers,
  })
}

/** Registers an institution's email domains as an admin would; the answer, for tests that check it. */
export function registerDomains(
  app: FastifyInstance,
  admin: TestUser,
  institutionId: number,
  domains: string[],
) {
  return app.inject({
    method: 'PUT',
    url: `/v1/admin/institutions/${institutionId}/domains`,
    headers: admin.headers,
    payload: { domains },
  })
}
