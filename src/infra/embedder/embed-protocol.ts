import { ModelUnavailableError } from './embedder.js'

/** Service → embedding process. */
export interface EmbedRequest {
  id: number
  texts: string[]
}

/** Embedding process → service. */
export type EmbedReply =
  | { kind: 'ready'; dimensions: number }
  | { kind: 'failed'; error: WireError }
  | { kind: 'vectors'; id: number; vectors: Float32Array[] }
  | { kind: 'error'; id: number; error: WireError }

/** Errors cross the process boundary as plain data: serialisation drops subclasses and fields. */
export interface WireError {
  name: string
  message: string
  missingFiles?: string[]
}

/** An error the model code threw inside the embedding process. */
export class EmbedProcessError extends Error {
  override name = 'EmbedProcessError'
}

export function toWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) }
  const missingFiles = error instanceof ModelUnavailableError ? error.missingFiles : undefined
  return { name: error.name, message: error.message, ...(missingFiles ? { missingFiles } : {}) }
}

export function fromWire(error: WireError): Error {
  if (error.name === 'ModelUnavailableError')
    return new ModelUnavailableError(error.message, error.missingFiles)
  return new EmbedProcessError(`${error.name}: ${error.message}`)
}
