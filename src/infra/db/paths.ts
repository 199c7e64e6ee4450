import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The checkout root, found the same way from `src/` under tsx and from `dist/src/` after a build. */
function findProjectRoot(start: string): string {
  let dir = start
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'db', 'migrations'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`No collabmatch checkout above ${start}`)
    dir = parent
  }
  return dir
}

export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)))
export const migrationsFolder = join(projectRoot, 'db', 'migrations')
