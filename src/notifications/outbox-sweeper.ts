import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { NotificationsService } from './service.js'

const BATCH = 100

/**
 * Picks up outbox events whose writer crashed before fanning them out. Every node sweeps; the
 * transaction that stores an event's notifications also deletes its row, so each is handled once.
 * Rows younger than one period are left to the writer's own fast path.
 */
export const outboxSweeper = fp<{ notifications: NotificationsService; everySeconds: number }>(
  async (app: FastifyInstance, { notifications, everySeconds }) => {
    let running: Promise<void> | null = null
    // One pass over every stranded row: a row that keeps failing is retried next time and never
    // holds back the rows behind it.
    const sweep = async () => {
      let afterId = 0
      for (;;) {
        const rows = await notifications.strandedEvents(everySeconds, afterId, BATCH)
        let handled = 0
        for (const row of rows) {
          try {
            await notifications.handleStranded(row)
            handled++
          } catch (error) {
            app.log.error({ err: error, outboxId: row.id, event: row.event }, 'stranded outbox event failed')
          }
        }
        if (handled > 0) app.log.info({ events: handled }, 'stranded outbox events handled')
        if (rows.length < BATCH) return
        afterId = rows.at(-1)!.id
      }
    }
    const tick = () => {
      if (running) return
      running = sweep()
        .catch((error) => app.log.error({ err: error }, 'outbox sweep failed'))
        .finally(() => {
          running = null
        })
    }
    const timer = setInterval(tick, everySeconds * 1000)
    timer.unref()
    app.addHook('onReady', async () => tick())
    app.addHook('onClose', async () => {
      clearInterval(timer)
      await running
    })
  },
  { name: 'outbox-sweeper' },
)
