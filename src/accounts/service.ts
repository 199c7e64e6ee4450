import { randomToken, sha256 } from '../infra/auth/secrets.js'
import type { Principal, Role, TokenService } from '../infra/auth/tokens.js'
import { type Clock, DAY_MS } from '../infra/clock.js'
import type { DomainEvents } from '../infra/events.js'
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
} from '../infra/http/errors.js'
import type { Mailer } from '../infra/mailer.js'
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.js'
import type { PasswordResetRepository } from './password-reset-repository.js'
import type { AccountRow, AccountsRepository } from './repository.js'

/** Long enough to find the mail, short enough that an old inbox is no way in. */
export const PASSWORD_RESET_TTL_MS = 30 * 60_000
export const RESETS_PER_ACCOUNT_PER_DAY = 5

export interface Session {
  accessToken: string
  accessTokenExpiresAt: string
  refreshToken: string
  refreshTokenExpiresAt: string
  account: PublicAccount
}

export interface PublicAccount {
  id: number
  email: string
  displayName: string
  role: Role
  createdAt: string
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase()

export class AccountsService {
  constructor(
    private readonly repository: AccountsRepository,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly refreshTtlDays: number,
    private readonly resets: PasswordResetRepository,
    private readonly mailer: Mailer,
    private readonly events: DomainEvents,
  ) {}

  async register(input: { email: string; password: string; displayName: string }): Promise<Session> {
    const account = await this.create({ ...input, role: 'researcher' })
    return this.openSession(account)
  }

  /** Used by the admin CLI as well as registration; only the CLI and admins hand out other roles. */
  async create(input: { email: string; password: string; displayName: string; role: Role }) {
    const account = await this.repository.create({
      email: normalizeEmail(input.email),
      displayName: input.displayName.trim(),
      passwordHash: await hashPassword(input.password),
      role: input.role,
      // From the injected clock: account age feeds the trust score.
      createdAt: this.clock.now(),
    })
    if (!account) throw new ConflictError('An account with this email already exists')
    return account
  }

  async login(email: string, password: string): Promise<Session> {
    const account = await this.repository.findByEmail(normalizeEmail(email))
    // Hash even for an unknown email so response time does not reveal which emails exist.
    const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH)
    if (!account || !ok) throw new UnauthorizedError('Wrong email or password')
    return this.openSession(account)
  }

  /**
   * Rotation: every refresh token works once. A reused one means it leaked, so the account is logged
   * out everywhere, including the session a use of the same token at the same moment just opened.
   */
  async refresh(refreshToken: string): Promise<Session> {
    const now = this.clock.now()
    const successor = this.newRefreshToken()
    const row = await this.repository.rotateRefreshToken(sha256(refreshToken), now, {
      tokenHash: sha256(successor.token),
      expiresAt: successor.expiresAt,
    })
    if (!row) throw new UnauthorizedError('Unknown refresh token')
    if (row.alreadyRevoked) {
      await this.repository.revokeAllRefreshTokens(row.accountId, now)
      throw new UnauthorizedError('Refresh token already used; all sessions were ended')
    }
    if (row.expiresAt.getTime() <= now.getTime()) throw new UnauthorizedError('Refresh token expired')
    const account = await this.repository.findById(row.accountId)
    if (!account) throw new UnauthorizedError('Account no longer exists')
    return this.session(account, successor)
  }

  /**
   * Needs the current password as well as a token: a token left in an unlocked browser must not be
   * enough to take the account over. Every session ends, this one included; the caller gets a new
   * one. Other tabs' access tokens live out their minutes, then cannot be refreshed.
   */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<Session> {
    const newHash = await hashPassword(newPassword)
    const changed = await this.repository.replacePassword(
      principal.accountId,
      (currentHash) => verifyPassword(currentPassword, currentHash),
      newHash,
      this.clock.now(),
    )
    const account = await this.repository.findById(principal.accountId)
    if (!account) throw new UnauthorizedError('Account no longer exists')
    if (!changed) throw new ForbiddenError('The current password is wrong')
    return this.openSession(account)
  }

  /**
   * Mails a one-use token if the address has an account. The answer is the same either way, so
   * the route cannot tell who has an account; beyond RESETS_PER_ACCOUNT_PER_DAY nothing is sent,
   * so it cannot flood an inbox either.
   */
  async requestPasswordReset(email: string): Promise<void> {
    const account = await this.repository.findByEmail(normalizeEmail(email))
    if (!account) return
    const now = this.clock.now()
    const token = randomToken()
    const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS)
    const issued = await this.resets.issue(account.id, { tokenHash: sha256(token), expiresAt }, now, {
      dayAgo: new Date(now.getTime() - DAY_MS),
      perDay: RESETS_PER_ACCOUNT_PER_DAY,
    })
    if (issued)
      await this.mailer.sendPasswordReset({
        to: account.email,
        token,
        displayName: account.displayName,
        expiresAt,
      })
  }

  /** Sets a new password with a mailed token, ends every session and opens a new one. */
  async resetPassword(token: string, newPassword: string): Promise<Session> {
    const account = await this.resets.redeem(sha256(token), await hashPassword(newPassword), this.clock.now())
    if (!account) throw new BadRequestError('The reset token is unknown, used or expired')
    return this.openSession(account)
  }

  /** Idempotent: an unknown or already revoked token is simply gone. */
  async logout(refreshToken: string): Promise<void> {
    await this.repository.consumeRefreshToken(sha256(refreshToken), this.clock.now())
  }

  /**
   * Deletes the caller's account after checking the password again: a stolen access token alone
   * must not erase an account. Its open connections are closed once the deletion has committed.
   */
  async deleteAccount(principal: Principal, password: string): Promise<void> {
    const outcome = await this.repository.deleteAccount(principal.accountId, (hash) =>
      verifyPassword(password, hash),
    )
    if (!outcome) throw new UnauthorizedError('Account no longer exists')
    if (!outcome.deleted) throw new ForbiddenError('The password is wrong')
    this.events.emit('account:deleted', {
      accountId: principal.accountId,
      releasedResearcherIds: outcome.releasedResearcherIds,
      closed: outcome.closed,
    })
  }

  async rename(principal: Principal, displayName: string) {
    if (!(await this.repository.setDisplayName(principal.accountId, displayName.trim(), this.clock.now())))
      throw new UnauthorizedError('Account no longer exists')
    return this.me(principal)
  }

  async me(principal: Principal) {
    const account = await this.repository.findById(principal.accountId)
    if (!account) throw new UnauthorizedError('Account no longer exists')
    return { ...toPublic(account), researcherId: await this.repository.claimedResearcherId(account.id) }
  }

  /** What an account may do now; a token only says what it could when it was issued. */
  async currentRole(accountId: number): Promise<Role | null> {
    return this.repository.roleOf(accountId)
  }

  /** An admin cannot change their own role, so the last admin cannot lock everyone out by accident. */
  async changeRole(actor: Principal, accountId: number, role: Role) {
    if (actor.accountId === accountId) throw new ConflictError('Admins cannot change their own role')
    return this.setRole(accountId, role)
  }

  async setRole(accountId: number, role: Role) {
    if (!(await this.repository.setRole(accountId, role))) throw new NotFoundError('Account', accountId)
    const account = (await this.repository.findById(accountId))!
    return toPublic(account)
  }

  async promoteByEmail(email: string) {
    const account = await this.repository.findByEmail(normalizeEmail(email))
    if (!account) throw new NotFoundError('Account', email)
    return this.setRole(account.id, 'admin')
  }

  private async openSession(account: AccountRow): Promise<Session> {
    const refresh = this.newRefreshToken()
    await this.repository.storeRefreshToken(account.id, sha256(refresh.token), refresh.expiresAt)
    return this.session(account, refresh)
  }

  private newRefreshToken() {
    return {
      token: randomToken(),
      expiresAt: new Date(this.clock.now().getTime() + this.refreshTtlDays * DAY_MS),
    }
  }

  /** A new access token beside a refresh token already stored. */
  private session(account: AccountRow, refresh: { token: string; expiresAt: Date }): Session {
    const access = this.tokens.issueAccessToken({ accountId: account.id, role: account.role })
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refresh.expiresAt.toISOString(),
      account: toPublic(account),
    }
  }
}

function toPublic(account: AccountRow): PublicAccount {
  return {
    id: account.id,
    email: account.email,
    displayName: account.displayName,
    role: account.role,
    createdAt: account.createdAt.toISOString(),
  }
}
