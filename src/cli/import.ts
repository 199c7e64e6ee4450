import { existsSync, statSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { createServices } from '../app.js'
import { loadConfig } from '../config/config.js'
import { type ImportProgress, importFile } from '../ingest/file-import.js'
import { openConfiguredDatabase } from './database.js'
import { importProgressReporter } from './progress.js'

export async function runImport(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'batch-size': { type: 'string', default: '500' } },
  })
  const [file] = positionals
  const batchSize = /^[0-9]+$/.test(values['batch-size']) ? Number(values['batch-size']) : Number.NaN
  if (!file || positionals.length > 1)
    throw new UsageError('usage: collabmatch import FILE.jsonl [--batch-size N]')
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`)
  if (!statSync(file).isFile()) throw new UsageError(`not a file: ${file}`)
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5_000) {
    throw new UsageError('--batch-size must be a whole number from 1 to 5000')
  }

  const database = await openConfiguredDatabase()
  let nothingImported = false
  try {
    const services = createServices(database, loadConfig())
    const reporter = importProgressReporter(process.stderr)
    let last: ImportProgress | undefined
    const started = Date.now()
    const summary = await importFile(services.ingest, file, {
      batchSize,
      onProgress: (progress) => {
        last = progress
        reporter.update(progress)
      },
    })
    reporter.finish(last)
    const seconds = (Date.now() - started) / 1000
    const processed = summary.inserted + summary.updated + summary.unchanged
    process.stdout.write(
      `imported ${file} in ${seconds.toFixed(1)} s (${(processed / Math.max(seconds, 0.001)).toFixed(0)} works/s)\n` +
        `inserted ${summary.inserted}, updated ${summary.updated}, unchanged ${summary.unchanged}, rejected ${summary.rejected}\n`,
    )
    for (const rejection of summary.rejections) {
      process.stdout.write(`  line ${rejection.at}: ${rejection.reason}\n`)
    }
    if (summary.rejected > summary.rejections.length) {
      process.stdout.write(`  … and ${summary.rejected - summary.rejections.length} more rejected lines\n`)
    }
    nothingImported = processed === 0 && summary.rejected > 0
  } finally {
    await database.close()
  }
  // A gzip, UTF-16 or JSON-array file rejects every line: a script must see that as a failure.
  if (nothingImported)
    throw new NothingImportedError(
      'every line was rejected; nothing was imported (one JSON work per line, UTF-8)',
    )
}

export class NothingImportedError extends Error {
  override name = 'NothingImportedError'
}

export class UsageError extends Error {
  override name = 'UsageError'
}
