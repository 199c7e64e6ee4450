import type { FastifyBaseLogger } from 'fastify'

/** How confirmation codes leave the service; there is no mail server yet, so it is injected. */
export interface Mailer {
  sendClaimCode(message: { to: string; code: string; researcherName: string }): Promise<void>
}

/** The default: a log line. The code appears only outside production, where it cannot leak a claim. */
export class LoggingMailer implements Mailer {
  constructor(
    private readonly log: Pick<FastifyBaseLogger, 'info'>,
    private readonly includeCode: boolean,
  ) {}

  async sendClaimCode(message: { to: string; code: string; researcherName: string }): Promise<void> {
    const { to, researcherName } = message
    if (this.includeCode)
      this.log.info({ to, researcherName, code: message.code }, `would send code to ${to}`)
    else this.log.info({ to, researcherName }, `would send code to ${to}`)
  }
}

/** Keeps what would have been sent, so tests can read the code back. */
export class MemoryMailer implements Mailer {
  readonly sent: { to: string; code: string; researcherName: string }[] = []

  async sendClaimCode(message: { to: string; code: string; researcherName: string }): Promise<void> {
    this.sent.push(message)
  }

  lastCodeFor(to: string): string | undefined {
    return this.sent.findLast((m) => m.to === to)?.code
  }
}
