import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { parseArgs } from 'node:util'
import { generateWorks, resolveOptions } from './generator.js'

const USAGE = `Usage: collabmatch generate --works N [--researchers N] [--seed N] [--out FILE]
       [--institutions N] [--topics N] [--start-year YYYY] [--end-year YYYY]

Writes synthetic OpenAlex-shaped works as JSON Lines (one work per line).
  --works N          number of works to generate (required)
  --researchers N    size of the researcher population (default: works / 5)
  --seed N           random seed; the same seed gives byte-identical output (default: 1)
  --out FILE         output file; "-" or omitted means stdout
  --institutions N   number of institutions (default: researchers / 100, at least 20)
  --topics N         number of research topics (default: 60)
  --start-year YYYY  first publication year (default: 2005)
  --end-year YYYY    last publication year (default: 2024)`

const PROGRESS_INTERVAL_MS = 2000

export async function runGenerate(argv: string[]): Promise<void> {
  const args = parse(argv)
  if (args === 'help') {
    process.stderr.write(`${USAGE}\n`)
    return
  }
  const toStdout = args.out === undefined || args.out === '-'
  const out = toStdout ? process.stdout : await openOutput(args.out!)
  const started = Date.now()
  let lastReport = started
  let summary: Awaited<ReturnType<typeof generateWorks>>
  try {
    summary = await generateWorks(out, args.options, (written) => {
      const now = Date.now()
      if (now - lastReport < PROGRESS_INTERVAL_MS) return
      lastReport = now
      const rate = Math.round(written / ((now - started) / 1000))
      const pct = ((100 * written) / args.options.works).toFixed(1)
      process.stderr.write(`generate: ${written}/${args.options.works} works (${pct}%), ${rate} works/s\n`)
    })
  } catch (err) {
    // `generate ... | head` closes the pipe early; like other Unix tools, stop quietly.
    if (toStdout && (err as NodeJS.ErrnoException).code === 'EPIPE') return
    throw err
  }
  if (!toStdout) {
    out.end()
    await once(out, 'finish')
  }
  const seconds = (Date.now() - started) / 1000
  process.stderr.write(
    `generate: wrote ${summary.works} works (${(summary.bytes / 1e6).toFixed(1)} MB) by ${summary.researchers} ` +
      `researchers at ${summary.institutions} institutions on ${summary.topics} topics ` +
      `to ${toStdout ? 'stdout' : args.out} in ${seconds.toFixed(1)}s\n`,
  )
}

interface ParsedArgs {
  out: string | undefined
  options: {
    works: number
    researchers: number
    seed: number
    institutions?: number
    topics?: number
    startYear?: number
    endYear?: number
  }
}

function parse(argv: string[]): ParsedArgs | 'help' {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        works: { type: 'string' },
        researchers: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string', short: 'o' },
        institutions: { type: 'string' },
        topics: { type: 'string' },
        'start-year': { type: 'string' },
        'end-year': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (err) {
    return fail((err as Error).message)
  }
  if (values['help']) return 'help'
  const works = integer(values, 'works', 1)
  if (works === undefined) return fail('--works is required')
  const researchers = integer(values, 'researchers', 1) ?? Math.max(1, Math.round(works / 5))
  const seed = integer(values, 'seed', 0) ?? 1
  const options: ParsedArgs['options'] = { works, researchers, seed }
  const institutions = integer(values, 'institutions', 1)
  if (institutions !== undefined) options.institutions = institutions
  const topics = integer(values, 'topics', 1)
  if (topics !== undefined) options.topics = topics
  const startYear = integer(values, 'start-year', 1900)
  if (startYear !== undefined) options.startYear = startYear
  const endYear = integer(values, 'end-year', 1900)
  if (endYear !== undefined) options.endYear = endYear
  if ((startYear ?? 2005) > (endYear ?? 2024)) fail('--start-year must not be after --end-year')
  try {
    // Validate everything before --out is opened, so a typo does not leave an empty file behind.
    resolveOptions(options)
  } catch (err) {
    fail((err as Error).message)
  }
  const out = values['out']
  if (out === '') fail('--out must not be empty')
  return { out: typeof out === 'string' ? out : undefined, options }
}

/** Opens the file up front so an unwritable path fails at once, not after building the world. */
async function openOutput(path: string): Promise<NodeJS.WritableStream> {
  const stream = createWriteStream(path)
  try {
    await once(stream, 'open')
  } catch (err) {
    throw new GenerateUsageError(`generate: cannot write ${path}: ${(err as Error).message}`)
  }
  return stream
}

function integer(
  values: Record<string, string | boolean | undefined>,
  name: string,
  min: number,
): number | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  // Accept 500000, 500_000 and 500,000; anything else is a typo worth reporting.
  const cleaned = String(raw).replace(/[_,]/g, '')
  const n = /^\d+$/.test(cleaned) ? Number(cleaned) : Number.NaN
  if (!Number.isSafeInteger(n) || n < min) fail(`--${name} must be an integer ≥ ${min}, got "${raw}"`)
  return n
}

/**
 * A mistake on the command line. Named "UsageError" because the dispatcher (src/cli/main.ts)
 * prints errors of that name as one line instead of a stack trace; it carries the usage text so
 * the user sees what to type without the dispatcher knowing this command's options.
 */
export class GenerateUsageError extends Error {
  override name = 'UsageError'
}

function fail(message: string): never {
  throw new GenerateUsageError(`generate: ${message}\n\n${USAGE}`)
}
