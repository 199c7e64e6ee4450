import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { InvitationsService } from './service.js'

/** Every node sweeps; the repository hands each overdue invitation to exactly one of them. */
export const invitationExpiry = fp<{ invitations: InvitationsService; everySeconds: number }>(
  async (app: FastifyInstance, { invitations, everySeconds }) => {
    let running = false
    const timer = setInterval(() => {
      if (running) return
      running = true
      invitations
        .expireDue()
        .then((expired) => {
          if (expired > 0) app.log.info({ expired }, 'invitations expired')
        })
        .catch((error) => app.log.error({ err: error }, 'invitation expiry failed'))
        .finally(() => {
          running = false
        })
    }, everySeconds * 1000)
    timer.unref()
    app.addHook('onClose', async () => clearInterval(timer))
  },
  { name: 'invitation-expiry' },
)
