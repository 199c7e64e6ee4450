import type { ImportProgress } from '../ingest/file-import.js'

const formatDuration = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return '--:--'
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const pad = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`
}

/** A bar with rate and ETA on a terminal; a plain line every few seconds in logs and CI. */
export function importProgressReporter(stream: NodeJS.WriteStream, now: () => number = Date.now) {
  const started = now()
  let lastPrinted = 0
  const interactive = Boolean(stream.isTTY)

  const render = (progress: ImportProgress): string => {
    const elapsed = (now() - started) / 1000
    const { summary } = progress
    const works = summary.inserted + summary.updated + summary.unchanged
    const rate = works / Math.max(elapsed, 0.001)
    const fraction = progress.totalBytes > 0 ? progress.bytesRead / progress.totalBytes : 1
    const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : Number.POSITIVE_INFINITY
    const counts = `${works} works (${summary.inserted} new, ${summary.updated} updated, ${summary.rejected} rejected)`
    const pct = `${(fraction * 100).toFixed(1)}%`
    if (!interactive) return `${pct} ${counts} ${rate.toFixed(0)} works/s ETA ${formatDuration(eta)}`
    const width = 24
    const filled = Math.round(fraction * width)
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct} ${counts} ${rate.toFixed(0)}/s ETA ${formatDuration(eta)}`
  }

  return {
    update(progress: ImportProgress) {
      const t = now()
      if (interactive) {
        if (t - lastPrinted < 100) return
        stream.write(`\r\x1b[2K${render(progress)}`)
      } else {
        if (t - lastPrinted < 5_000) return
        stream.write(`${render(progress)}\n`)
      }
      lastPrinted = t
    },
    finish(progress: ImportProgress | undefined) {
      if (progress) stream.write(`${interactive ? '\r\x1b[2K' : ''}${render(progress)}\n`)
    },
  }
}
