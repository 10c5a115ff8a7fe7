/**
 * The crash-safe swap of compaction's cleaned segments for the old ones: cleaned segments are written
 * as `<base>.cleaned`, then a manifest (`compaction.swap`) naming old and new segments is written
 * atomically as the commit point, then old files are removed and the cleaned ones renamed. Opening a
 * partition finishes or discards a swap that a crash interrupted (`finishInterruptedCompaction`), so
 * compaction, which works on partitions, and the partition, which finishes its swap, both import this
 * and not each other.
 */
import fs from 'node:fs'
import path from 'node:path'
import { storageError } from '../errors.ts'
import { syncDirectory, writeFileAtomic } from './file-io.ts'
import { segmentFileName } from './segment.ts'

const MANIFEST = 'compaction.swap'
/** The suffix of a cleaned segment's log file until the swap renames it into place. */
export const CLEANED = '.cleaned'

export interface SwapManifest {
  readonly oldBases: readonly number[]
  readonly newBases: readonly number[]
}

/** Writes the manifest (the commit point), then swaps the files. */
export async function commitSwap(directory: string, manifest: SwapManifest): Promise<void> {
  await writeFileAtomic(path.join(directory, MANIFEST), JSON.stringify(manifest), directory)
  await applySwap(directory, manifest)
}

/** Removes the old segments' files and renames the cleaned ones into place; safe to run again. */
async function applySwap(directory: string, manifest: SwapManifest): Promise<void> {
  try {
    const cleaned = new Set(manifest.newBases.filter((base) => fs.existsSync(path.join(directory, segmentFileName(base, 'log') + CLEANED))))
    for (const base of manifest.oldBases) {
      // A new segment may reuse an old base: once its .cleaned file is renamed, that name is the new one.
      if (manifest.newBases.includes(base) && !cleaned.has(base)) continue
      for (const extension of ['log', 'index', 'timeindex', 'txnindex'] as const) {
        await fs.promises.rm(path.join(directory, segmentFileName(base, extension)), { force: true })
      }
      // The open transactions at a base no segment starts at any more are never read again.
      if (!manifest.newBases.includes(base))
        await fs.promises.rm(path.join(directory, segmentFileName(base, 'txnsnapshot')), { force: true })
    }
    for (const base of cleaned) {
      await fs.promises.rename(
        path.join(directory, segmentFileName(base, 'log') + CLEANED),
        path.join(directory, segmentFileName(base, 'log')),
      )
    }
    await syncDirectory(directory)
    await fs.promises.rm(path.join(directory, MANIFEST), { force: true })
    await syncDirectory(directory)
  } catch (error) {
    throw storageError('compaction swap', directory, error)
  }
}

/**
 * Called before a partition's segments are opened: completes a swap whose manifest was written, or
 * discards cleaned files of a compaction that never reached its commit point.
 */
export async function finishInterruptedCompaction(directory: string): Promise<void> {
  let names: string[]
  try {
    names = await fs.promises.readdir(directory)
  } catch {
    return // a new partition: nothing to finish
  }
  if (names.includes(MANIFEST)) {
    const manifest = JSON.parse(await fs.promises.readFile(path.join(directory, MANIFEST), 'utf8')) as SwapManifest
    await applySwap(directory, manifest)
  }
  // Whatever cleaned output is left never reached a commit point.
  for (const name of await fs.promises.readdir(directory)) {
    if (name.endsWith(CLEANED)) await fs.promises.rm(path.join(directory, name), { force: true })
  }
}
