import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Clock } from '../clock.js'
import { UnauthorizedError } from '../http/errors.js'

export type Role = 'researcher' | 'programme_officer' | 'admin'
export const ROLES: readonly Role[] = ['researcher', 'programme_officer', 'admin']

/** Who is calling, as far as a token can say; what they may touch is decided by the services. */
export interface Principal {
  accountId: number
  role: Role
}

interface AccessPayload {
  sub: number
  role: Role
  typ: 'access'
  iat: number
  exp: number
}

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/**
 * Short-lived HMAC-signed access tokens, verified the same way by HTTP and Socket.IO.
 * Refresh tokens are opaque, stored hashed, and belong to the accounts capability.
 */
export class TokenService {
  private readonly key: Buffer

  constructor(
    secret: string,
    private readonly clock: Clock,
    private readonly ttlSeconds = ACCESS_TOKEN_TTL_SECONDS,
  ) {
    this.key = Buffer.from(secret)
  }

  issueAccessToken(principal: Principal): { token: string; expiresAt: Date } {
    const iat = Math.floor(this.clock.now().getTime() / 1000)
    const payload: AccessPayload = {
      sub: principal.accountId,
      role: principal.role,
      typ: 'access',
      iat,
      exp: iat + this.ttlSeconds,
    }
    const body = encode(payload)
    return { token: `${body}.${this.sign(body)}`, expiresAt: new Date(payload.exp * 1000) }
  }

  /** Throws UnauthorizedError for anything but a well-formed, correctly signed, unexpired token. */
  verify(token: string): Principal {
    return this.verifySession(token).principal
  }

  /** As `verify`, with the expiry: a long-lived connection must end when its token does. */
  verifySession(token: string): { principal: Principal; expiresAt: Date } {
    const [body, signature, extra] = token.split('.')
    if (!body || !signature || extra !== undefined) throw new UnauthorizedError('Malformed token')
    const expected = Buffer.from(this.sign(body))
    const given = Buffer.from(signature)
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new UnauthorizedError('Invalid token')
    }
    let payload: AccessPayload
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as AccessPayload
    } catch {
      throw new UnauthorizedError('Malformed token')
    }
    if (payload.typ !== 'access' || !Number.isInteger(payload.sub) || !ROLES.includes(payload.role)) {
      throw new UnauthorizedError('Invalid token')
    }
    if (payload.exp * 1000 <= this.clock.now().getTime()) throw new UnauthorizedError('Token expired')
    return {
      principal: { accountId: payload.sub, role: payload.role },
      expiresAt: new Date(payload.exp * 1000),
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url')
  }
}
