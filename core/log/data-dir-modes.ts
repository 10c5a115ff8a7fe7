/**
 * The data directory holds every record and, in `_tributary-configs`, connector secrets in clear, so
 * it is closed to other users: directories are made 0700 and files 0600, the mode given where each is
 * created (a umask only clears bits, so a loose one cannot open them). A data directory made before,
 * or by hand, is tightened when the log opens it: group and other bits are taken off everything in it.
 */
import fs from 'node:fs'
import path from 'node:path'

/** Mode of every directory the log creates. */
export const DIR_MODE = 0o700
/** Mode of every file the log creates. */
export const FILE_MODE = 0o600

const OPEN_TO_OTHERS = 0o077

export interface TightenedModes {
  /** Paths that were open to group or others and are not any more. */
  readonly tightened: string[]
  /** Paths whose mode could not be changed (owned by another user, a file system without modes). */
  readonly failed: Array<{ readonly path: string; readonly reason: string }>
}

/**
 * Takes group and other permissions off the directory and everything under it (symbolic links are
 * left alone, not followed), and says what it changed and what it could not.
 */
export async function tightenDataDir(root: string): Promise<TightenedModes> {
  const result: TightenedModes = { tightened: [], failed: [] }
  const visit = async (entry: string, stats: fs.Stats): Promise<void> => {
    if ((stats.mode & OPEN_TO_OTHERS) !== 0) {
      try {
        await fs.promises.chmod(entry, stats.mode & 0o7777 & ~OPEN_TO_OTHERS)
        result.tightened.push(entry)
      } catch (error) {
        result.failed.push({ path: entry, reason: (error as NodeJS.ErrnoException).code ?? String(error) })
      }
    }
    if (!stats.isDirectory()) return
    for (const name of await fs.promises.readdir(entry)) {
      const child = path.join(entry, name)
      const childStats = await fs.promises.lstat(child)
      if (childStats.isDirectory() || childStats.isFile()) await visit(child, childStats)
    }
  }
  // The root itself may be a symbolic link to the real directory (a mount elsewhere): follow that one.
  await visit(root, await fs.promises.stat(root))
  return result
}
