import type { FastifyBaseLogger } from 'fastify'

export interface ClaimCodeMessage {
  to: string
  code: string
  researcherName: string
}

export interface PasswordResetMessage {
  to: string
  token: string
  displayName: string
  expiresAt: Date
}

/** How secrets sent by email leave the service; there is no mail server yet, so it is injected. */
export interface Mailer {
  sendClaimCode(message: ClaimCodeMessage): Promise<void>
  sendPasswordReset(message: PasswordResetMessage): Promise<void>
}

/**
 * The default: a log line. The secret appears only outside production, where it can neither
 * leak a claim nor take over an account.
 */
export class LoggingMailer implements Mailer {
  constructor(
    private readonly log: Pick<FastifyBaseLogger, 'info'>,
    private readonly includeSecrets: boolean,
  ) {}

  async sendClaimCode(message: ClaimCodeMessage): Promise<void> {
    const { to, researcherName } = message
    if (this.includeSecrets)
      this.log.info({ to, researcherName, code: message.code }, `would send code to ${to}`)
    else this.log.info({ to, researcherName }, `would send code to ${to}`)
  }

  async sendPasswordReset(message: PasswordResetMessage): Promise<void> {
    const { to, expiresAt } = message
    if (this.includeSecrets)
      this.log.info({ to, expiresAt, resetToken: message.token }, `would send a password reset to ${to}`)
    else this.log.info({ to, expiresAt }, `would send a password reset to ${to}`)
  }
}

/** Keeps what would have been sent, so tests can read the secrets back. */
export class MemoryMailer implements Mailer {
  readonly sent: ClaimCodeMessage[] = []
  readonly resets: PasswordResetMessage[] = []

  async sendClaimCode(message: ClaimCodeMessage): Promise<void> {
    this.sent.push(message)
  }

  async sendPasswordReset(message: PasswordResetMessage): Promise<void> {
    this.resets.push(message)
  }

  lastCodeFor(to: string): string | undefined {
    return this.sent.findLast((m) => m.to === to)?.code
  }

  lastResetFor(to: string): string | undefined {
    return this.resets.findLast((m) => m.to === to)?.token
  }
}
