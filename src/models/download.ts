import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { isValidModelId, requiredModelFiles } from '../infra/embedder/model-files.js'

/**
 * all-MiniLM-L6-v2: the most widely deployed English sentence-embedding model (384 dimensions,
 * 6 layers, 23 M parameters), fast enough on a CPU to embed a whole catalogue, and published in
 * transformers.js' ONNX layout (fp32 and int8) under the Xenova namespace.
 */
export const DEFAULT_MODEL_ID = 'Xenova/all-MiniLM-L6-v2'
export const DEFAULT_HUB_URL = 'https://huggingface.co'

export interface DownloadOptions {
  modelId: string
  modelsDir: string
  dtypes: ('fp32' | 'q8')[]
  hubUrl?: string
  fetchImpl?: typeof fetch
  onProgress?: (file: string, received: number, total: number | null) => void
}

export class DownloadError extends Error {
  override name = 'DownloadError'
}

/** The one place in the project that downloads anything; the service itself never does. */
export async function downloadModel(options: DownloadOptions): Promise<string[]> {
  if (!isValidModelId(options.modelId)) throw new DownloadError(`not a model id: ${options.modelId}`)
  const fetchImpl = options.fetchImpl ?? fetch
  const hub = options.hubUrl ?? DEFAULT_HUB_URL
  const files = [
    ...new Set([...options.dtypes.flatMap((dtype) => requiredModelFiles(dtype)), 'special_tokens_map.json']),
  ]
  const written: string[] = []
  for (const file of files) {
    const target = join(options.modelsDir, options.modelId, file)
    if (existsSync(target)) continue
    const url = `${hub}/${options.modelId}/resolve/main/${file}`
    let response: Response
    try {
      response = await fetchImpl(url)
    } catch (error) {
      throw new DownloadError(
        `cannot reach ${hub} (${(error as Error).cause ?? (error as Error).message}). ` +
          `Are you offline? Copy the model folder into ${join(options.modelsDir, options.modelId)} instead.`,
      )
    }
    if (response.status === 404 && file === 'special_tokens_map.json') continue
    if (!response.ok || !response.body) throw new DownloadError(`${url} answered ${response.status}`)
    const total = Number(response.headers.get('content-length')) || null
    let received = 0
    mkdirSync(dirname(target), { recursive: true })
    // Written beside the target and renamed, so an interrupted download never looks complete.
    const partial = `${target}.partial`
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)
    body.on('data', (chunk: Buffer) => {
      received += chunk.length
      options.onProgress?.(file, received, total)
    })
    try {
      await pipeline(body, createWriteStream(partial))
    } catch (error) {
      rmSync(partial, { force: true })
      throw new DownloadError(`download of ${file} failed: ${(error as Error).message}`)
    }
    renameSync(partial, target)
    written.push(target)
  }
  return written
}
