/**
 * A line cut short by a crash was never flushed whole, so its offset was never committed and the
 * record will come again: before appending to an existing file, cut such a fragment off rather than
 * glue the next line onto it.
 */
import fs from 'node:fs'

const CHUNK_BYTES = 64 * 1024

/** Truncates `file` after its last newline (nothing when it ends in one, or does not exist). */
export async function dropTornTail(file: string): Promise<void> {
  let handle: fs.promises.FileHandle
  try {
    handle = await fs.promises.open(file, 'r+')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  try {
    const { size } = await handle.stat()
    const end = await endOfLastLine(handle, size)
    if (end < size) {
      await handle.truncate(end)
      await handle.sync()
    }
  } finally {
    await handle.close()
  }
}

async function endOfLastLine(handle: fs.promises.FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(CHUNK_BYTES)
  let end = size
  while (end > 0) {
    const start = Math.max(0, end - chunk.length)
    const { bytesRead } = await handle.read(chunk, 0, end - start, start)
    const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a)
    if (newline >= 0) return start + newline + 1
    end = start
  }
  return 0
}
