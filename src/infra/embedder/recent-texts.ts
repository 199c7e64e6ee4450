import type { Embedder } from './embedder.js'

/**
 * Remembers the vectors of the last `capacity` texts. A programme officer runs one call text many
 * times, changing only filters, conflicts or k; the model is most of a search's time (about 37 ms
 * of 70 on two cores), and a repeated text gives the same vector. Concurrent asks for one text
 * share one embedding; a failed one is forgotten, so the next ask tries again.
 */
export function withRecentTexts(embedder: Embedder, capacity = 256): Embedder {
  const recent = new Map<string, Promise<Float32Array>>()
  const touch = (text: string, vector: Promise<Float32Array>) => {
    // Most recently used last, so the oldest is forgotten first.
    recent.delete(text)
    recent.set(text, vector)
    if (recent.size > capacity) recent.delete(recent.keys().next().value!)
    vector.catch(() => {
      if (recent.get(text) === vector) recent.delete(text)
    })
  }
  return {
    modelId: embedder.modelId,
    dimensions: embedder.dimensions,
    dtype: embedder.dtype,
    embed(texts) {
      const missing = new Map<string, number>()
      for (const text of texts) if (!recent.has(text) && !missing.has(text)) missing.set(text, missing.size)
      const fresh = missing.size > 0 ? embedder.embed([...missing.keys()]) : Promise.resolve([])
      return Promise.all(
        texts.map((text) => {
          const i = missing.get(text)
          const vector = i === undefined ? recent.get(text)! : fresh.then((vectors) => vectors[i]!)
          touch(text, vector)
          return vector
        }),
      )
    },
  }
}
