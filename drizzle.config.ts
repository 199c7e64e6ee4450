import { defineConfig } from 'drizzle-kit'

// Generation only needs the schema; migrations are applied by the service itself on start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  strict: true,
  verbose: true,
})
