import type { FastifyInstance } from 'fastify'
import type { Role } from '../../src/infra/auth/tokens.js'

export interface TestUser {
  accountId: number
  token: string
  refreshToken: string
  email: string
  headers: { authorization: string }
}

let counter = 0

/** Registers over HTTP (or creates directly for other roles) and returns a ready bearer header. */
export async function signUp(
  app: FastifyInstance,
  role: Role = 'researcher',
  name?: string,
): Promise<TestUser> {
  counter += 1
  const email = `${name ?? role}-${counter}-${process.pid}@example.org`
  const password = 'correct horse battery staple'
  if (role !== 'researcher') {
    await app.services.accounts.create({ email, password, displayName: name ?? role, role })
  } else {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email, password, displayName: name ?? 'Researcher' },
    })
    if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`)
  }
  const login = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } })
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`)
  const session = login.json()
  return {
    accountId: session.account.id,
    token: session.accessToken,
    refreshToken: session.refreshToken,
    email,
    headers: { authorization: `Bearer ${session.accessToken}` },
  }
}

export const ORCID_ANN = '0000-0002-1825-0097'
