import { SyncNotifications } from '../contract.js'
import { defineHandler } from './define.js'

export const notificationsSync = () =>
  defineHandler('notifications:sync', SyncNotifications, (ctx, { after, limit }) =>
    ctx.notifications.list(ctx.socket.data.accountId, after, limit ?? 200),
  )
