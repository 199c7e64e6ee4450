import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'

/** Another live process has the embedded database open. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError'
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid}. PGlite serves one process: ` +
        'stop the server before running a command on its data (or use PostgreSQL, DATABASE_URL, ' +
        'which many processes share).',
    )
  }
}

const LOCK_FILE = 'collabmatch.pid'

/**
 * Takes the data directory for this process, as PostgreSQL's postmaster.pid does: PGlite has no
 * lock of its own, and a command importing into the directory a running server used lost
 * acknowledged writes and left the database unable to start. A lock whose process is gone (a
 * crash, a kill -9) is taken over; so is one naming this process or its parent, which after a
 * restart in a container is a reused pid, not a live holder. Returns the release.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE)
  for (;;) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, `${process.pid}\n`)
      closeSync(fd)
      return () => {
        if (holderOf(path) === process.pid) rmSync(path, { force: true })
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = holderOf(path)
    if (holder !== null && holder !== process.pid && holder !== process.ppid && isAlive(holder))
      throw new DataDirInUseError(dataDir, holder)
    rmSync(path, { force: true })
  }
}

function holderOf(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
