/**
 * A partition's log start offset when records were deleted up to a point inside a segment (Kafka's
 * DeleteRecords): the first segment's base offset no longer says where the log starts, so the offset
 * is kept in a file of its own, as Kafka keeps log-start-offset-checkpoint. It is written atomically
 * and fsynced before the deletion is acknowledged; a partition without the file starts at its first
 * segment.
 */
import fs from 'node:fs'
import path from 'node:path'
import { storageError } from '../errors.ts'
import { writeFileAtomic } from './file-io.ts'

const FILE = 'log-start-offset'

/** The stored log start offset, or 0 when none was stored. */
export async function readLogStartOffset(directory: string): Promise<number> {
  const file = path.join(directory, FILE)
  let text: string
  try {
    text = await fs.promises.readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw storageError('read log start offset', file, error)
  }
  const offset = Number(text.trim())
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw storageError('read log start offset', file, new Error(`not an offset: ${JSON.stringify(text)}`))
  return offset
}

export function writeLogStartOffset(directory: string, offset: number): Promise<void> {
  return writeFileAtomic(path.join(directory, FILE), `${offset}\n`, directory)
}
