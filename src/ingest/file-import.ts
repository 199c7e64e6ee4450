import { createReadStream, statSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { type NormalizedWork, parseOpenAlexWork } from './openalex.js'
import { emptySummary, type ImportSummary, type IngestService } from './service.js'

export interface ImportProgress {
  lines: number
  bytesRead: number
  totalBytes: number
  summary: ImportSummary
}

export interface FileImportOptions {
  batchSize?: number
  /** Rejections kept with their reason; the count goes on past it. */
  maxRejectionsListed?: number
  onProgress?: (progress: ImportProgress) => void
}

/** Streams a JSON Lines file: memory depends on the batch size, never on the file size. */
export async function importFile(
  ingest: IngestService,
  path: string,
  options: FileImportOptions = {},
): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? 500
  const maxListed = options.maxRejectionsListed ?? 100
  const totalBytes = statSync(path).size
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })
  const summary = emptySummary()
  let batch: NormalizedWork[] = []
  let lineNumber = 0
  let bytesRead = 0

  const reject = (reason: string) => {
    summary.rejected++
    if (summary.rejections.length < maxListed) summary.rejections.push({ at: lineNumber, reason })
  }
  const flush = async () => {
    const outcome = await ingest.storeWorks(batch)
    summary.inserted += outcome.inserted
    summary.updated += outcome.updated
    summary.unchanged += outcome.unchanged
    batch = []
    options.onProgress?.({ lines: lineNumber, bytesRead, totalBytes, summary })
  }

  for await (const read of lines) {
    lineNumber++
    bytesRead += Buffer.byteLength(read) + 1
    // Editors on Windows start UTF-8 files with a byte-order mark, which JSON does not allow.
    const line = lineNumber === 1 && read.startsWith('\uFEFF') ? read.slice(1) : read
    if (line.trim() === '') continue
    let raw: unknown
    try {
      raw = JSON.parse(line)
    } catch (error) {
      reject(`invalid JSON: ${(error as Error).message}`)
      continue
    }
    const parsed = parseOpenAlexWork(raw)
    if (!parsed.ok) {
      reject(parsed.reason)
      continue
    }
    batch.push(parsed.work)
    if (batch.length >= batchSize) await flush()
  }
  await flush()
  return summary
}
