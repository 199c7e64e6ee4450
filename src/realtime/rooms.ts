/** Every tab of one account. */
export const userRoom = (accountId: number) => `user:${accountId}`

/** Every tab of every member of one conversation. */
export const conversationRoom = (conversationId: number) => `conversation:${conversationId}`
