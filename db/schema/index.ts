// One module per capability; drizzle-kit reads every table exported here.

export * from './accounts.js'
export * from './catalog.js'
export * from './embeddings.js'
export * from './identity.js'
export * from './matching.js'
export * from './realtime.js'
