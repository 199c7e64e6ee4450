#!/usr/bin/env node
import { failureText } from '../infra/failure-text.js'
import { runImport, UsageError } from './import.js'

const HELP = `collabmatch — collaboration matching for research-discovery platforms

usage:
  collabmatch import FILE.jsonl [--batch-size N]   import works in OpenAlex's JSON shape
  collabmatch generate --works N --researchers N [--seed N] [--out FILE]
                                                  write a synthetic OpenAlex-shaped file
  collabmatch model download [MODEL_ID]            fetch a transformers.js model into MODELS_DIR
  collabmatch model generate [tiny|minilm]         write a random-weight BERT for tests / benchmarks
  collabmatch model status [MODEL_ID]              which model files are present
  collabmatch embed                                embed everything queued now, with progress
  collabmatch reembed                              switch to EMBEDDING_MODEL: queue and embed every work
  collabmatch profiles                             build missing matching profiles and hubness values
  collabmatch admin create --email EMAIL [--name NAME] --password-stdin
                                                  create an admin account (password read from stdin)
  collabmatch admin promote --email EMAIL         make an existing account an admin

Configuration comes from the environment (see .env.example): DATABASE_URL, DATA_DIR, …
`

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  import: runImport,
  generate: async (argv) => (await import('../generate/cli.js')).runGenerate(argv),
  model: async (argv) => (await import('../models/cli.js')).runModel(argv),
  embed: async (argv) => (await import('../embeddings/cli.js')).runEmbed(argv, { reembed: false }),
  reembed: async (argv) => (await import('../embeddings/cli.js')).runEmbed(argv, { reembed: true }),
  profiles: async (argv) => (await import('../matching/cli.js')).runProfiles(argv),
  admin: async (argv) => (await import('../accounts/cli.js')).runAdmin(argv),
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP)
    return
  }
  const command = commands[name]
  if (!command) throw new UsageError(`unknown command "${name}"\n\n${HELP}`)
  await command(rest)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const code = error instanceof Error && error.name === 'UsageError' ? 2 : 1
  // Exiting only once the text is written: on a pipe, an exit right away cut it short.
  process.stderr.write(`collabmatch: ${failureText(error)}\n`, () => process.exit(code))
})
